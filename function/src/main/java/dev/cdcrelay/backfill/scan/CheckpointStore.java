package dev.cdcrelay.backfill.scan;

import dev.cdcrelay.backfill.s3.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a Scan checkpoint is kept: a local file ({@code local}'s {@code --scan-checkpoint}) or an S3
 * object (the backfill function, between invocations). A write replaces the whole checkpoint at
 * once, so a crash leaves the previous one.
 */
public interface CheckpointStore {

    /** The saved checkpoint, or empty when none was saved yet. */
    Optional<byte[]> read() throws IOException;

    void write(byte[] checkpoint);

    /** What to call it in a message. */
    String describe();

    /** An object in the backfill bucket (S3 replaces an object at once). */
    static CheckpointStore object(ObjectStore store, String bucket, String key) {
        return new CheckpointStore() {
            @Override
            public Optional<byte[]> read() {
                return store.read(bucket, key);
            }

            @Override
            public void write(byte[] checkpoint) {
                store.write(bucket, key, checkpoint);
            }

            @Override
            public String describe() {
                return "s3://" + bucket + "/" + key;
            }
        };
    }

    /** A file, written to a temporary sibling and moved into place. */
    static CheckpointStore file(Path file) {
        return new CheckpointStore() {
            @Override
            public Optional<byte[]> read() throws IOException {
                return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            }

            @Override
            public void write(byte[] checkpoint) {
                try {
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.write(tmp, checkpoint);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the scan checkpoint " + file, e);
                }
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }
}
