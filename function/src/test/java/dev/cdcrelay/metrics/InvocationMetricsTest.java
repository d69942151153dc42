package dev.cdcrelay.metrics;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.BatchTiming;
import dev.cdcrelay.relay.RecordCounts;
import dev.cdcrelay.write.WriteResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replication lag and the other figures, from known change times and a known "now". */
class InvocationMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T06:30:00Z");

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static BatchResult result(BatchTiming timing) {
        WriteResult.Counters counters = new WriteResult.Counters();
        counters.superseded = 2;
        counters.divertedAttributes = 3;
        counters.inexactNumbers = 4;
        counters.attempts = 3;
        return new BatchResult(new RecordCounts(10, 6, 1, 2, 1), Optional.of("49"), List.of("reason"), counters, timing);
    }

    @Test
    void replicationLagIsNowMinusTheNewestOldestAndMeanAppliedChangeTime() {
        // Changes made 1.5 s, 4 s and 10.5 s before now: newest 1.5 s ago, oldest 10.5 s, mean 5.333 s.
        List<Long> changes = List.of(micros(NOW.minusMillis(1_500)), micros(NOW.minusMillis(10_500)),
                micros(NOW.minusMillis(4_000)));
        BatchTiming timing = new BatchTiming(Duration.ofMillis(42), BatchTiming.ChangeTimes.of(changes));

        InvocationMetrics m = InvocationMetrics.of(result(timing), Duration.ofMillis(97), NOW);

        assertEquals(Optional.of(1_500L), m.value(RelayMetric.REPLICATION_LAG));
        assertEquals(Optional.of(10_500L), m.value(RelayMetric.REPLICATION_LAG_MAX));
        assertEquals(Optional.of(5_333L), m.value(RelayMetric.REPLICATION_LAG_AVERAGE));
        assertEquals(Optional.of(42L), m.value(RelayMetric.WRITE_DURATION));
        assertEquals(Optional.of(97L), m.value(RelayMetric.BATCH_DURATION));
    }

    @Test
    void microsecondChangeTimesAreNotRoundedAwayBeforeTheLagIsTaken() {
        long change = micros(NOW) - 2_999; // 2.999 ms before now
        BatchTiming timing = new BatchTiming(Duration.ZERO, BatchTiming.ChangeTimes.of(List.of(change)));
        assertEquals(Optional.of(2L), InvocationMetrics.of(result(timing), Duration.ZERO, NOW)
                .value(RelayMetric.REPLICATION_LAG));
    }

    @Test
    void aChangeTimeAheadOfTheClockIsNoLagNotANegativeOne() {
        BatchTiming timing = new BatchTiming(Duration.ZERO,
                BatchTiming.ChangeTimes.of(List.of(micros(NOW.plusSeconds(2)))));
        assertEquals(Optional.of(0L), InvocationMetrics.of(result(timing), Duration.ZERO, NOW)
                .value(RelayMetric.REPLICATION_LAG));
    }

    @Test
    void noAppliedChangeMeansNoLagMetricRatherThanZero() {
        InvocationMetrics m = InvocationMetrics.of(result(BatchTiming.NONE), Duration.ofMillis(5), NOW);
        assertEquals(Optional.empty(), m.value(RelayMetric.REPLICATION_LAG));
        assertEquals(Optional.empty(), m.value(RelayMetric.REPLICATION_LAG_MAX));
        assertEquals(Optional.empty(), m.value(RelayMetric.REPLICATION_LAG_AVERAGE));
        assertEquals(RelayMetric.values().length - 3, m.values().size());
    }

    @Test
    void countsComeFromTheBatchResultAndRetriesAreAttemptsBeyondTheFirst() {
        InvocationMetrics m = InvocationMetrics.of(result(BatchTiming.NONE), Duration.ZERO, NOW);
        assertEquals(Optional.of(10L), m.value(RelayMetric.RECORDS_RECEIVED));
        assertEquals(Optional.of(6L), m.value(RelayMetric.RECORDS_APPLIED));
        assertEquals(Optional.of(1L), m.value(RelayMetric.RECORDS_SKIPPED));
        assertEquals(Optional.of(2L), m.value(RelayMetric.RECORDS_DEAD_LETTERED));
        assertEquals(Optional.of(1L), m.value(RelayMetric.RECORDS_FAILED));
        assertEquals(Optional.of(2L), m.value(RelayMetric.CHANGES_SUPERSEDED));
        assertEquals(Optional.of(3L), m.value(RelayMetric.DIVERTED_ATTRIBUTES));
        assertEquals(Optional.of(4L), m.value(RelayMetric.INEXACT_NUMBERS));
        assertEquals(Optional.of(2L), m.value(RelayMetric.WRITE_RETRIES));
    }

    @Test
    void aBatchThatWroteNothingHasNoRetries() {
        BatchResult empty = new BatchResult(RecordCounts.NONE, Optional.empty(), List.of(), new WriteResult.Counters());
        assertEquals(Optional.of(0L), InvocationMetrics.of(empty, Duration.ZERO, NOW).value(RelayMetric.WRITE_RETRIES));
    }
}
