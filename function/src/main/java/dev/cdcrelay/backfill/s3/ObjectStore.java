package dev.cdcrelay.backfill.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The backfill's objects: export data files and manifests, finished-file markers, Scan checkpoints,
 * a map run's result files. Failures that pass (throttling, no connection) are thrown as
 * {@link dev.cdcrelay.backfill.RetryableBackfillException}; a denied request as
 * {@link dev.cdcrelay.backfill.BackfillRefusedException} (the role lacks a permission: retrying
 * does not help).
 */
public interface ObjectStore {

    /** The whole object, or empty when there is none under the key. */
    Optional<byte[]> read(String bucket, String key);

    /**
     * A stream over the object, from its first byte.
     *
     * @throws java.nio.file.NoSuchFileException when there is no object under the key
     */
    InputStream open(String bucket, String key) throws IOException;

    /** Creates or replaces the object. */
    void write(String bucket, String key, byte[] content);
}
