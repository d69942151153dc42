package dev.cdcrelay.backfill;

/**
 * A snapshot line that is not one DynamoDB item ({@code {"Item": {...}}} with the key attributes).
 * The message says what is wrong, never a value; the caller adds the file and line.
 */
public class InvalidSnapshotItemException extends Exception {
    public InvalidSnapshotItemException(String message) {
        super(message);
    }
}
