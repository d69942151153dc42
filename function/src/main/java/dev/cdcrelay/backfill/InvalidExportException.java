package dev.cdcrelay.backfill;

/** An export directory that cannot be loaded at all (no manifest, wrong format); names the file. */
public class InvalidExportException extends Exception {
    public InvalidExportException(String message) {
        super(message);
    }
}
