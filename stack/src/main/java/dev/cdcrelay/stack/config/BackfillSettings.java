package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.EnvVar;

/**
 * The backfill every table relay gets (docs/backfill.md): a bucket, a second function from the relay's
 * image and a Step Functions state machine that fans the export's files (or a Scan's segments) out over it.
 *
 * @param maxConcurrency       how many files or segments load at once: each is one function writing to
 *                             CrateDB, so this is what keeps a backfill from flooding the sink
 * @param memoryMb             the backfill function's memory (its CPU grows with it)
 * @param exportExpirationDays how long exports and the map runs' result files stay in the bucket
 */
public record BackfillSettings(int maxConcurrency, int memoryMb, int exportExpirationDays) {

    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    /** A Distributed Map runs up to 10,000 children at once; 100 CrateDB writers is already a lot. */
    public static final int MAX_CONCURRENCY = 100;
    public static final int DEFAULT_MEMORY_MB = 1024;
    public static final int DEFAULT_EXPORT_EXPIRATION_DAYS = 7;
    /** One invocation may run this long; a file or a page of a segment must load within it. */
    public static final int TIMEOUT_SECONDS = 900;

    /** Where in the bucket everything of the backfill lives: the function's default, set explicitly. */
    public static String prefix() {
        return EnvVar.RELAY_BACKFILL_PREFIX.defaultValue().orElseThrow();
    }

    public BackfillSettings {
        if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("maxConcurrency must be from 1 to " + MAX_CONCURRENCY);
        }
    }
}
