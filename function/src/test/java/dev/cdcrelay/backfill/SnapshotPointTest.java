package dev.cdcrelay.backfill;

import dev.cdcrelay.decode.ChangeVersion;
import dev.cdcrelay.testing.KinesisRecords;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotPointTest {

    private static final Instant EXPORT = Instant.parse("2026-12-02T05:00:00.123456Z");

    @Test
    void itemsAreVersionedTheMarginBeforeTheSnapshot() {
        SnapshotPoint point = SnapshotPoint.at(EXPORT);
        assertEquals(Duration.ofSeconds(120), point.margin());
        assertEquals(Instant.parse("2026-12-02T04:58:00.123456Z"), point.versionInstant());
        assertEquals(1_796_187_480_123_456L, point.versionMicros());
    }

    @Test
    void aSnapshotItemSortsBelowEveryRealStreamRecordOfTheSameMicrosecond() {
        long v = SnapshotPoint.at(EXPORT).versionMicros();
        ChangeVersion largestSnapshot = new ChangeVersion(v, SnapshotPoint.sequenceNumber(SnapshotPoint.MAX_SOURCES - 1, 9_999_999_999L));
        ChangeVersion smallestStream = new ChangeVersion(v, KinesisRecords.sequenceNumber(0));
        assertTrue(largestSnapshot.compareTo(smallestStream) < 0);
        assertTrue(largestSnapshot.sequenceNumber().length() <= SnapshotPoint.MAX_SEQUENCE_DIGITS);
    }

    @Test
    void sequenceNumbersAreUniquePerFileAndLine() {
        assertEquals("1", SnapshotPoint.sequenceNumber(0, 1));
        assertEquals("10000000001", SnapshotPoint.sequenceNumber(1, 1));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPoint.sequenceNumber(0, 0));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPoint.sequenceNumber(SnapshotPoint.MAX_SOURCES, 1));
    }

    @Test
    void aStreamEnabledAfterTheSnapshotIsRefusedWithBothTimes() {
        SnapshotPoint point = SnapshotPoint.at(EXPORT);
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class,
                () -> point.requireStreamCovers(EXPORT.plusMillis(1)));
        assertEquals("the stream was enabled at 2026-12-02T05:00:00.124456Z, after the snapshot"
                + " (2026-12-02T05:00:00.123456Z): changes made in between are in neither; take a new export"
                + " (or Scan) after the stream was enabled", e.getMessage());
    }

    @Test
    void aStreamEnabledAtOrBeforeTheSnapshotIsAccepted() {
        SnapshotPoint point = SnapshotPoint.at(EXPORT);
        assertDoesNotThrow(() -> point.requireStreamCovers(EXPORT));
        assertDoesNotThrow(() -> point.requireStreamCovers(point.versionInstant().plusSeconds(1)));
        assertDoesNotThrow(() -> point.requireStreamCovers(EXPORT.minus(Duration.ofDays(3))));
    }

    @Test
    void aSnapshotOlderThanTheTombstoneRetentionIsRefused() {
        SnapshotPoint point = SnapshotPoint.at(EXPORT);
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class,
                () -> point.requireWithinRetention(EXPORT.plus(Duration.ofHours(25)), Duration.ofHours(24)));
        assertTrue(e.getMessage().startsWith("the snapshot (2026-12-02T05:00:00.123456Z) is older than the sink's"
                + " tombstone retention (24 h, RELAY_TOMBSTONE_RETENTION_HOURS)"), e.getMessage());
        assertDoesNotThrow(() -> point.requireWithinRetention(EXPORT.plus(Duration.ofHours(23)), Duration.ofHours(24)));
    }
}
