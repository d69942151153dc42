package dev.cdcrelay.bench;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.handler.InvocationReport;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.BatchTiming;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.RecordCounts;
import dev.cdcrelay.write.WriteResult;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the metrics document and the batch log line cost the function: on first use in a fresh JVM
 * (classes loaded, milliseconds, after a record was decoded, as in Lambda where the decoder has
 * loaded jackson-core by then), and per invocation once warm (nanoseconds to build both lines).
 * Run it alone in its own JVM, on the function's class path plus the bench classes:
 * {@code java -cp function/target/function.jar:function/target/lib/*:bench/target/classes dev.cdcrelay.bench.ReportCost}
 */
public final class ReportCost {

    private static final int WARM_ROUNDS = 5;
    private static final int PER_ROUND = 200_000;

    private ReportCost() {
    }

    public static void main(String[] args) throws InvalidRecordException {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        // What Lambda has done before the first report: decoded the batch.
        new ChangeDecoder().decode(new IncomingRecord("1", "", StartupProbe.seedJson("cost", 1)
                .getBytes(StandardCharsets.UTF_8), 0));
        long loadedBefore = classes.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        InvocationReport report = new InvocationReport(new MetricDimensions("relay-fn", "doc.readings"),
                Clock.systemUTC());
        List<String> first = report.lines(result(), Duration.ofMillis(120), Optional.of("req-1"));
        long firstMicros = (System.nanoTime() - t0) / 1_000;
        long loaded = classes.getTotalLoadedClassCount() - loadedBefore;
        System.out.println("first report: " + loaded + " classes loaded, " + firstMicros / 1000.0 + " ms; lines "
                + first.get(0).length() + " + " + first.get(1).length() + " characters");

        BatchResult result = result();
        Optional<String> requestId = Optional.of("0b7e1f5c-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
        long sink = 0;
        List<Double> nanosPerReport = new ArrayList<>();
        for (int round = 0; round < WARM_ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += report.lines(result, Duration.ofMillis(i & 255), requestId).get(1).length();
            }
            nanosPerReport.add((System.nanoTime() - start) / (double) PER_ROUND);
        }
        System.out.println("per invocation (both lines), " + WARM_ROUNDS + " rounds of " + PER_ROUND + ": "
                + nanosPerReport.stream().map(n -> String.format("%.0f ns", n)).toList() + " (checksum " + sink + ")");
    }

    /** A batch of 1,000 with every figure set, a lag, and two failure reasons. */
    private static BatchResult result() {
        WriteResult.Counters counters = new WriteResult.Counters();
        counters.upserted = 990;
        counters.deleted = 5;
        counters.superseded = 3;
        counters.divertedAttributes = 2;
        counters.inexactNumbers = 1;
        counters.statements = 2;
        counters.attempts = 2;
        long now = Instant.now().toEpochMilli() * 1000;
        BatchTiming timing = new BatchTiming(Duration.ofMillis(80), BatchTiming.ChangeTimes.of(
                List.of(now - 2_000_000, now - 900_000, now - 300_000)));
        return new BatchResult(new RecordCounts(1000, 995, 0, 2, 3), Optional.of("49654120000000000000000000000000000000000000000000000999"),
                List.of("record 4965...: eventName is missing", "connection refused"), counters, timing);
    }
}
