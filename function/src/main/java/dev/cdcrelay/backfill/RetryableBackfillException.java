package dev.cdcrelay.backfill;

/**
 * The backfill could not go on for a reason that passes: the sink is down or did not take items,
 * S3 or DynamoDB throttled or could not be reached. Step Functions retries the task on this
 * fully-qualified class name; running the same step again is safe (items keep their version, a
 * Scan segment resumes from its checkpoint). Never says a record is bad.
 */
public class RetryableBackfillException extends RuntimeException {
    public RetryableBackfillException(String message) {
        super(message);
    }

    public RetryableBackfillException(String message, Throwable cause) {
        super(message, cause);
    }
}
