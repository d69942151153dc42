package dev.cdcrelay.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalStatusTest {

    private static final String METRICS = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]},"
            + "\"RecordsReceived\":%d,\"RecordsApplied\":%d,\"RecordsDeadLettered\":0,\"RecordsFailed\":%d%s}";
    private static final String BATCH_LINE = "{\"timestamp\":\"2026-12-02T06:30:00Z\",\"level\":\"INFO\",\"message\":\"batch\"}";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalOneStatusLineIsRewrittenWithRateLagAndTotals() {
        LocalStatus status = new LocalStatus(out, true, nanos::get);
        nanos.addAndGet(2_000_000_000L);
        status.accept(String.format(METRICS, 100, 100, 0, ",\"ReplicationLag\":850"));
        status.accept(BATCH_LINE);
        nanos.addAndGet(500_000_000L);
        status.accept(String.format(METRICS, 60, 50, 10, ""));

        assertEquals("\r[local] 50 applied/s  lag 850 ms  totals: received=100 applied=100 deadLettered=0 failed=0   "
                + "\r[local] 100 applied/s  lag -  totals: received=160 applied=150 deadLettered=0 failed=10   ", printed());
    }

    @Test
    void elsewhereThePlainBatchLinesAndNoMetricsDocuments() {
        LocalStatus status = new LocalStatus(out, false, nanos::get);
        status.accept(String.format(METRICS, 1, 1, 0, ""));
        status.accept(BATCH_LINE);
        assertEquals(BATCH_LINE + System.lineSeparator(), printed());
    }
}
