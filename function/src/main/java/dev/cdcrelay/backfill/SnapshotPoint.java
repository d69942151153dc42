package dev.cdcrelay.backfill;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * When a snapshot of the source table was taken, and the change version its items get in the sink.
 *
 * <p>A backfilled item is written as an upsert whose version is {@link #versionMicros()}: the
 * snapshot's time (an export's {@code exportTime}, or the moment a Scan started) minus
 * {@link #margin()}. The sink keeps the newest version of each item, so a stream change stamped
 * after that wins over the snapshot, an older one loses to it, and a tombstone (a delete stamped
 * after it) keeps the item deleted.
 *
 * <h2>Why a margin</h2>
 * The stream stamps changes with {@code ApproximateCreationDateTime}, which AWS calls approximate
 * and gives no error bound for; DynamoDB Local rounds it DOWN to the whole minute (REFERENCE.md
 * section 5). A change made just after the snapshot could carry a stamp from just before it; without
 * a margin that change would lose to the (older) snapshot item and be overwritten for good. With the
 * version moved back by the margin, such a change still wins. Erring the other way is harmless: a
 * change made before the snapshot but stamped after the version re-applies a state the stream also
 * carries the successor of, so the newest stream change still decides. The only price of a wider
 * margin is a stricter precondition (the stream must reach back further), so the default is
 * generous: {@value #DEFAULT_MARGIN_SECONDS} s, twice DynamoDB Local's one-minute rounding.
 *
 * <h2>Precondition</h2>
 * The stream (Kinesis Data Streams for DynamoDB, consumed by the relay) must carry every change
 * made after the snapshot: such a change is in nothing else, and without it the snapshot's older
 * state stays. Changes before the snapshot need not be streamed: the snapshot holds their effect,
 * and a stream that is complete from some moment before the snapshot on delivers each item's
 * latest change whenever it delivers any change of it (the convergence proof streams from before
 * the version; its control with a stream started after the snapshot loses changes).
 * {@link #requireStreamCovers} checks what can be checked: the streaming destination must have
 * been enabled (active) at or before the snapshot's time. A second limit is the sink's tombstone
 * retention: a delete after the snapshot is only remembered that long, so the backfill must be
 * done within it ({@link #requireWithinRetention}). Last, the relay must receive every streamed
 * change (within the Kinesis stream's retention).
 */
public record SnapshotPoint(Instant snapshotTime, Duration margin) {

    public static final long DEFAULT_MARGIN_SECONDS = 120;
    public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(DEFAULT_MARGIN_SECONDS);

    /**
     * Snapshot sequence numbers stay below 10^{@value #MAX_SEQUENCE_DIGITS}; Kinesis sequence numbers
     * are 56-digit numbers, so at the same microsecond every real stream record sorts above a
     * backfilled item ({@link dev.cdcrelay.decode.ChangeVersion} compares them as numbers).
     */
    public static final int MAX_SEQUENCE_DIGITS = 20;
    private static final long FILE_STRIDE = 10_000_000_000L; // lines per file, 10^10
    /** Sources per snapshot: 9 * 10^8 sources of 10^10 lines stay inside a long. */
    public static final long MAX_SOURCES = 900_000_000L;

    public SnapshotPoint {
        Objects.requireNonNull(snapshotTime, "snapshotTime");
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("the safety margin must not be negative: " + margin);
        }
        if (snapshotTime.minus(margin).isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("snapshot time minus margin is before 1970: " + snapshotTime);
        }
    }

    public static SnapshotPoint at(Instant snapshotTime) {
        return new SnapshotPoint(snapshotTime, DEFAULT_MARGIN);
    }

    /** The change time (µs since the epoch) every backfilled item carries. */
    public long versionMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, versionInstant());
    }

    public Instant versionInstant() {
        return snapshotTime.minus(margin);
    }

    /**
     * The sequence part of a backfilled item's version: unique per (file, line) so that a failure
     * names one item, and below every real Kinesis sequence number.
     *
     * @param fileIndex 0-based position of the data file in the manifest (or the Scan segment)
     * @param line      1-based line (or item) number inside it
     */
    public static String sequenceNumber(long fileIndex, long line) {
        if (fileIndex < 0 || fileIndex >= MAX_SOURCES || line < 1 || line >= FILE_STRIDE) {
            throw new IllegalArgumentException("file " + fileIndex + " line " + line + " is out of range");
        }
        return Long.toString(fileIndex * FILE_STRIDE + line);
    }

    /**
     * Refuses when the stream started after the snapshot: changes made in between are in neither.
     *
     * @param streamEnabledAt when the table's Kinesis streaming destination became active
     * @throws BackfillRefusedException naming both times and what to do
     */
    public void requireStreamCovers(Instant streamEnabledAt) throws BackfillRefusedException {
        if (streamEnabledAt.isAfter(snapshotTime)) {
            throw new BackfillRefusedException("the stream was enabled at " + streamEnabledAt
                    + ", after the snapshot (" + snapshotTime + "): changes made in between are in neither;"
                    + " take a new export (or Scan) after the stream was enabled");
        }
    }

    /**
     * Refuses when the snapshot is older than the sink's tombstone retention: a delete made after the
     * snapshot may already have lost its tombstone, and the snapshot would bring the item back.
     */
    public void requireWithinRetention(Instant now, Duration tombstoneRetention) throws BackfillRefusedException {
        if (versionInstant().plus(tombstoneRetention).isBefore(now)) {
            throw new BackfillRefusedException("the snapshot (" + snapshotTime + ") is older than the sink's"
                    + " tombstone retention (" + tombstoneRetention.toHours() + " h, RELAY_TOMBSTONE_RETENTION_HOURS):"
                    + " items deleted since could come back; take a newer export or raise the retention");
        }
    }
}
