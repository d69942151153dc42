package dev.cdcrelay.handler;

import dev.cdcrelay.logging.LogLevel;
import dev.cdcrelay.logging.LogLine;
import dev.cdcrelay.metrics.EmfDocument;
import dev.cdcrelay.metrics.InvocationMetrics;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.metrics.RelayMetric;
import dev.cdcrelay.relay.BatchResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an invocation leaves in the log: one embedded-metric-format document (the metrics) and one
 * structured "batch" line (the same figures plus the checkpoint and the reasons, for Logs
 * Insights). Two lines rather than one so that the metrics document stays exactly what the
 * specification describes, and the log line can grow without touching it.
 */
public final class InvocationReport {

    /** The message of the per-batch line; the Logs Insights queries filter on it. */
    public static final String BATCH_MESSAGE = "batch";

    private final MetricDimensions dimensions;
    private final Clock clock;

    /**
     * @param clock the time replication lag is measured against, and the lines' timestamp
     */
    public InvocationReport(MetricDimensions dimensions, Clock clock) {
        this.dimensions = dimensions;
        this.clock = clock;
    }

    /** The metrics document, then the batch line. */
    public List<String> lines(BatchResult result, Duration batchDuration, Optional<String> requestId) {
        Instant now = clock.instant();
        InvocationMetrics metrics = InvocationMetrics.of(result, batchDuration, now);
        return List.of(EmfDocument.line(metrics, dimensions, now, requestId),
                LogLine.of(now, level(result), BATCH_MESSAGE, requestId, fields(result, metrics)));
    }

    /** ERROR: the batch goes back to Lambda; WARN: records were dead-lettered; INFO otherwise. */
    static LogLevel level(BatchResult result) {
        if (result.failed() > 0) {
            return LogLevel.ERROR;
        }
        return result.deadLettered() > 0 ? LogLevel.WARN : LogLevel.INFO;
    }

    private Map<String, Object> fields(BatchResult result, InvocationMetrics metrics) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("table", dimensions.table());
        f.put("received", result.received());
        f.put("applied", result.applied());
        f.put("skipped", result.skipped());
        f.put("deadLettered", result.deadLettered());
        f.put("failed", result.failed());
        f.put("firstFailedSequence", result.firstFailedSequence());
        f.put("upserted", result.writer().upserted);
        f.put("deleted", result.writer().deleted);
        f.put("superseded", result.writer().superseded);
        f.put("divertedAttributes", result.writer().divertedAttributes);
        f.put("inexactNumbers", result.writer().inexactNumbers);
        f.put("statements", result.writer().statements);
        f.put("attempts", result.writer().attempts);
        f.put("batchMillis", metrics.value(RelayMetric.BATCH_DURATION));
        f.put("writeMillis", metrics.value(RelayMetric.WRITE_DURATION));
        f.put("replicationLagMillis", metrics.value(RelayMetric.REPLICATION_LAG));
        f.put("reasons", result.failureReasons());
        return f;
    }
}
