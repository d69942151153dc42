package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.metrics.RelayMetric;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where the handler's per-invocation lines go when the relay runs locally. On a terminal: one
 * status line, rewritten in place after every batch (applied per second, replication lag, totals),
 * read from the invocation's metrics document. Otherwise (a pipe, a file, CI): the plain per-batch
 * JSON lines as Lambda would log them, without the metrics documents, which only CloudWatch reads.
 */
final class LocalStatus implements Consumer<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private long lastNanos;
    private long received;
    private long applied;
    private long deadLettered;
    private long failed;

    /**
     * @param terminal whether {@code out} is a terminal (a status line is rewritten with a carriage return)
     * @param nanoTime the clock the rate is measured with
     */
    LocalStatus(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.lastNanos = nanoTime.getAsLong();
    }

    /** Stdout, as a status line when the JVM has a console (stdin and stdout both a terminal). */
    static LocalStatus forStdout() {
        return new LocalStatus(System.out, System.console() != null, System::nanoTime);
    }

    @Override
    public void accept(String line) {
        JsonNode node = parse(line);
        boolean metrics = node.has("_aws");
        if (!terminal) {
            if (!metrics) {
                out.println(line);
            }
            return;
        }
        if (metrics) {
            out.print("\r" + status(node) + "   ");
            out.flush();
        }
    }

    /** One status line from a metrics document; updates the totals. */
    String status(JsonNode metrics) {
        long now = nanoTime.getAsLong();
        long batchApplied = count(metrics, RelayMetric.RECORDS_APPLIED);
        received += count(metrics, RelayMetric.RECORDS_RECEIVED);
        applied += batchApplied;
        deadLettered += count(metrics, RelayMetric.RECORDS_DEAD_LETTERED);
        failed += count(metrics, RelayMetric.RECORDS_FAILED);
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        lastNanos = now;
        JsonNode lag = metrics.get(RelayMetric.REPLICATION_LAG.metricName());
        return String.format("[local] %,.0f applied/s  lag %s  totals: received=%d applied=%d deadLettered=%d failed=%d",
                batchApplied / seconds, lag == null ? "-" : lag.asLong() + " ms", received, applied, deadLettered, failed);
    }

    private static long count(JsonNode metrics, RelayMetric metric) {
        return metrics.path(metric.metricName()).asLong(0);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("the handler printed a line that is not JSON: " + line, e);
        }
    }
}
