package dev.cdcrelay.backfill;

/**
 * A backfill that would not converge with the stream, or bad input to it, refused before anything
 * is written. Never retried: Step Functions matches it by this fully-qualified class name, and the
 * state machine lets it fail the execution (docs/backfill.md). Unchecked so that the Lambda handler
 * can throw it as it is.
 */
public class BackfillRefusedException extends RuntimeException {
    public BackfillRefusedException(String message) {
        super(message);
    }
}
