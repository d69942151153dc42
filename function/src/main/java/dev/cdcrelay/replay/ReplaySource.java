package dev.cdcrelay.replay;

import dev.cdcrelay.deadletter.S3DeadLetterBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** One input of a replay: what it is called in messages, how big it is, and its bytes. */
sealed interface ReplaySource {

    /** The name to show and to re-run with: a path, {@code stdin}, or {@code s3://bucket/key}. */
    String name();

    /** Size in bytes when known up front (for progress); standard input has none. */
    OptionalLong sizeBytes();

    ReplayInput.Form form();

    /** The bytes, from the start; the caller closes the stream. */
    InputStream open() throws IOException;

    /** A local file; {@code form} is {@link ReplayInput.Form#EVENT_DOCUMENTS} when found in a directory. */
    record LocalFile(Path path, long size, ReplayInput.Form form) implements ReplaySource {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public OptionalLong sizeBytes() {
            return OptionalLong.of(size);
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }
    }

    /** Standard input (or any stream given once). */
    record Stream(String name, InputStream input) implements ReplaySource {
        @Override
        public OptionalLong sizeBytes() {
            return OptionalLong.empty();
        }

        @Override
        public ReplayInput.Form form() {
            return ReplayInput.Form.DETECTED;
        }

        @Override
        public InputStream open() {
            return input;
        }
    }

    /**
     * A dead-letter object in S3, read as it is streamed from the bucket.
     *
     * @param listedUnder the prefix whose listing found it: its key relative to that is kept when it is moved
     */
    record S3Object(S3DeadLetterBucket store, String bucket, String listedUnder, String key, long size)
            implements ReplaySource {
        @Override
        public String name() {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public OptionalLong sizeBytes() {
            return OptionalLong.of(size);
        }

        @Override
        public ReplayInput.Form form() {
            return ReplayInput.Form.EVENT_DOCUMENTS;
        }

        @Override
        public InputStream open() throws IOException {
            return store.open(bucket, key);
        }
    }
}
