package dev.cdcrelay.backfill.scan;

/**
 * Keeps a Scan under a number of read capacity units per second, across all segments: each page's
 * consumed units push the next allowed start further out, and a segment waits for it before asking
 * for the next page. This protects the table's capacity for the application that owns it.
 */
public final class ReadRateLimiter {

    private final double unitsPerSecond;
    private long nextFreeNanos = System.nanoTime();

    public ReadRateLimiter(double unitsPerSecond) {
        if (!(unitsPerSecond > 0)) {
            throw new IllegalArgumentException("the read rate must be positive");
        }
        this.unitsPerSecond = unitsPerSecond;
    }

    /** Books the units a page consumed. */
    public synchronized void consumed(double units) {
        long now = System.nanoTime();
        nextFreeNanos = Math.max(nextFreeNanos, now) + (long) (units / unitsPerSecond * 1e9);
    }

    /** Waits until the booked units are paid off. */
    public void awaitTurn() throws InterruptedException {
        long wait;
        synchronized (this) {
            wait = nextFreeNanos - System.nanoTime();
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /**
     * What a page cost when DynamoDB does not say: an eventually consistent Scan reads 0.5 units per
     * 4 KB of items read (DynamoDB's published rule), so the page's size decides.
     */
    public static double estimate(long bytes) {
        return Math.max(0.5, Math.ceil(bytes / 4096.0) * 0.5);
    }
}
