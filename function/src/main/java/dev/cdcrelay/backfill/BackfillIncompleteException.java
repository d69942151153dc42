package dev.cdcrelay.backfill;

/**
 * Thrown by the summary at the end of a backfill when a file or segment failed or reported problems:
 * the message names every one of them, so the execution fails visibly. Never retried; resume with
 * the same start command (finished files are skipped) or redrive the execution.
 */
public class BackfillIncompleteException extends RuntimeException {
    public BackfillIncompleteException(String message) {
        super(message);
    }
}
