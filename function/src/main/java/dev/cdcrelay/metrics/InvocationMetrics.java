package dev.cdcrelay.metrics;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.BatchTiming;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures of one invocation, as plain values: what the embedded metric format document
 * carries. Built from the batch's result alone, so the relay core measures nothing for it.
 *
 * @param values every metric with a value this invocation, in {@link RelayMetric} order; the
 *               replication-lag metrics are absent when the batch applied no change (there is no
 *               change time to measure from, and a zero would read as "fully caught up")
 */
public record InvocationMetrics(Map<RelayMetric, Long> values) {

    public InvocationMetrics {
        Objects.requireNonNull(values, "values");
        EnumMap<RelayMetric, Long> ordered = new EnumMap<>(RelayMetric.class);
        ordered.putAll(values);
        values = Collections.unmodifiableMap(ordered);
    }

    /**
     * @param result        what the batch came to
     * @param batchDuration the whole invocation's work, measured by the caller
     * @param now           the time to measure replication lag against (the caller's clock)
     */
    public static InvocationMetrics of(BatchResult result, Duration batchDuration, Instant now) {
        Map<RelayMetric, Long> v = new EnumMap<>(RelayMetric.class);
        v.put(RelayMetric.RECORDS_RECEIVED, (long) result.received());
        v.put(RelayMetric.RECORDS_APPLIED, (long) result.applied());
        v.put(RelayMetric.RECORDS_SKIPPED, (long) result.skipped());
        v.put(RelayMetric.RECORDS_DEAD_LETTERED, (long) result.deadLettered());
        v.put(RelayMetric.RECORDS_FAILED, (long) result.failed());
        v.put(RelayMetric.CHANGES_SUPERSEDED, (long) result.writer().superseded);
        v.put(RelayMetric.DIVERTED_ATTRIBUTES, (long) result.writer().divertedAttributes);
        v.put(RelayMetric.INEXACT_NUMBERS, (long) result.writer().inexactNumbers);
        v.put(RelayMetric.WRITE_RETRIES, (long) Math.max(0, result.writer().attempts - 1));
        v.put(RelayMetric.BATCH_DURATION, batchDuration.toMillis());
        BatchTiming timing = result.timing();
        v.put(RelayMetric.WRITE_DURATION, timing.write().toMillis());
        timing.appliedChanges().ifPresent(times -> {
            long nowMicros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
            v.put(RelayMetric.REPLICATION_LAG, lagMillis(nowMicros, times.newestMicros()));
            v.put(RelayMetric.REPLICATION_LAG_MAX, lagMillis(nowMicros, times.oldestMicros()));
            v.put(RelayMetric.REPLICATION_LAG_AVERAGE, lagMillis(nowMicros, times.meanMicros()));
        });
        return new InvocationMetrics(v);
    }

    /**
     * Never negative: DynamoDB's change time is approximate and the two clocks differ, so a change
     * applied at once can look as if it came from the future; that is no lag, not a negative one.
     */
    private static long lagMillis(long nowMicros, long changeMicros) {
        return Math.max(0, nowMicros - changeMicros) / 1_000;
    }

    /** The value of a metric this invocation; empty when it was not emitted. */
    public Optional<Long> value(RelayMetric metric) {
        return Optional.ofNullable(values.get(metric));
    }
}
