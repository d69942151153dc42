package dev.cdcrelay.backfill;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One data object of an export, wherever it is (a downloaded file, an S3 object): what
 * {@link ExportFiles} needs to check and load it. Each {@link #open} starts a new read from its
 * first byte, so the checksum can be verified in one pass before anything is loaded in a second.
 */
public interface ExportObject {

    /**
     * A new stream over the object's bytes.
     *
     * @throws NoSuchFileException when the object is not there
     */
    InputStream open() throws IOException;

    /** A downloaded data file. */
    static ExportObject file(Path path) {
        return () -> Files.newInputStream(path);
    }
}
