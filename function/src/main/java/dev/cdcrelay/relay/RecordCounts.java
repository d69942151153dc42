package dev.cdcrelay.relay;

/**
 * What became of the records of one batch (or of several, summed with {@link #plus}). Every
 * record is counted exactly once: {@code received = applied + skipped + deadLettered + failed}.
 *
 * @param received      records given
 * @param applied       records whose change is now what the sink holds for its item
 * @param skipped       records rightly not written: older than, or the same as, a change of the
 *                      same item in this batch or in the sink (duplicates, late arrivals), and
 *                      TTL deletes kept by setting
 * @param deadLettered  records stored in the dead-letter destination
 * @param failed        records not handled: re-delivered by Lambda (a fault of the sink, a
 *                      transient error, or a dead-letter destination that failed)
 */
public record RecordCounts(int received, int applied, int skipped, int deadLettered, int failed) {

    public static final RecordCounts NONE = new RecordCounts(0, 0, 0, 0, 0);

    public RecordCounts {
        if (applied < 0 || skipped < 0 || deadLettered < 0 || failed < 0
                || received != applied + skipped + deadLettered + failed) {
            throw new IllegalArgumentException("counts do not add up: received=" + received + " applied=" + applied
                    + " skipped=" + skipped + " deadLettered=" + deadLettered + " failed=" + failed);
        }
    }

    public RecordCounts plus(RecordCounts other) {
        return new RecordCounts(received + other.received, applied + other.applied, skipped + other.skipped,
                deadLettered + other.deadLettered, failed + other.failed);
    }

    /** {@code received=5 applied=2 skipped=1 deadLettered=1 failed=1}: the form the log line and replay print. */
    @Override
    public String toString() {
        return "received=" + received + " applied=" + applied + " skipped=" + skipped + " deadLettered="
                + deadLettered + " failed=" + failed;
    }
}
