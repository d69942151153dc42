package dev.cdcrelay.backfill;

/** A backfill that would not converge with the stream, refused before anything is written. */
public class BackfillRefusedException extends Exception {
    public BackfillRefusedException(String message) {
        super(message);
    }
}
