package dev.cdcrelay.bench;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.management.OperatingSystemMXBean;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventReader;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SeedRecords;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What reading the first Kinesis event costs a cold container: the runtime's own way (the
 * serializer the runtime interface client uses for a {@code RequestHandler<KinesisEvent, ...>},
 * aws-lambda-java-serialization's jackson with its mix-ins) against the relay's
 * {@link KinesisEventReader} (what {@code replay} reads event files with). Each turn is a child JVM
 * with the image's flags (C1 only, serial collector) on the packaged class path, reading one event
 * of 100 records; the turns alternate. Prints, per way, the medians of the child's wall clock and
 * CPU for that first event and the CPU of the whole child process up to the end of that event.
 *
 * <pre>java -cp bench/target/classes:$(cat bench/cp.txt) dev.cdcrelay.bench.EventReadingBenchmark</pre>
 *
 * <p>System properties: {@code bench.functionTarget} (default {@code function/target}),
 * {@code bench.eventTurns} (child JVMs per way, default 9).
 */
public final class EventReadingBenchmark {

    private static final String[] WAYS = {"runtime", "relay"};

    private EventReadingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            child(args[0], Path.of(args[1]));
            return;
        }
        Path functionTarget = Path.of(System.getProperty("bench.functionTarget", "function/target"));
        String cp = System.getProperty("java.class.path").split(File.pathSeparator)[0] + File.pathSeparator
                + functionTarget.resolve("function.jar") + File.pathSeparator + functionTarget.resolve("lib") + "/*";
        int turns = Integer.getInteger("bench.eventTurns", 9);
        Path event = Files.createTempFile("kinesis-event", ".json");
        List<List<double[]>> figures = List.of(new ArrayList<>(), new ArrayList<>());
        try {
            Files.writeString(event, event(100));
            for (int t = 0; t < turns; t++) {
                for (int w = 0; w < WAYS.length; w++) {
                    figures.get(w).add(runChild(cp, WAYS[w], event));
                }
            }
        } finally {
            Files.delete(event);
        }
        System.out.printf(Locale.ROOT, "First Kinesis event of 100 records in a cold JVM (-XX:TieredStopAtLevel=1"
                + " -XX:+UseSerialGC), %d child JVMs per way, alternating; medians%n", turns);
        System.out.printf(Locale.ROOT, "%-48s %12s %12s %16s%n", "way", "event ms", "event CPU ms", "process CPU ms");
        for (int w = 0; w < WAYS.length; w++) {
            System.out.printf(Locale.ROOT, "%-48s %12.0f %12.0f %16.0f%n", label(WAYS[w]), median(figures.get(w), 0),
                    median(figures.get(w), 1), median(figures.get(w), 2));
        }
    }

    private static String label(String way) {
        return way.equals("runtime") ? "runtime's serializer (RequestHandler<KinesisEvent>)" : "relay's KinesisEventReader";
    }

    /** {wall ms, thread CPU ms, process CPU ms} of one child. */
    private static double[] runChild(String cp, String way, Path event) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp, EventReadingBenchmark.class.getName(), way,
                event.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.startsWith("EVENT ")) {
            throw new IllegalStateException("child (" + way + ") failed: " + out);
        }
        String[] f = out.split(" ");
        return new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
    }

    /** Runs on the packaged class path only (no test classes): the event comes as a file. */
    private static void child(String way, Path eventFile) throws Exception {
        byte[] event = Files.readAllBytes(eventFile);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long bytes = 0;
        if (way.equals("runtime")) {
            PojoSerializer<KinesisEvent> serializer = LambdaEventSerializers.serializerFor(KinesisEvent.class,
                    EventReadingBenchmark.class.getClassLoader());
            for (KinesisEvent.KinesisEventRecord r : serializer.fromJson(new ByteArrayInputStream(event)).getRecords()) {
                bytes += r.getKinesis().getData().remaining();
            }
        } else {
            for (IncomingRecord r : KinesisEventReader.readRecords(event)) {
                bytes += r.data().length;
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e6;
        // The process's CPU up to here (every thread: the JVM's start, the compiler, the collector).
        double processCpuMs = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        System.out.printf(Locale.ROOT, "EVENT %.1f %.1f %.1f %d%n", ms, cpuMs, processCpuMs, bytes);
    }

    /** The Lambda event of {@code n} Kinesis records, each a seed INSERT of another device (REFERENCE section 1). */
    private static String event(int n) {
        KinesisRecords shard = new KinesisRecords();
        List<IncomingRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String device = "event-" + i;
            records.add(shard.next(SeedRecords.insert().key("device", device)));
        }
        return KinesisRecords.lambdaEventJson(records);
    }

    private static double median(List<double[]> rows, int column) {
        return Medians.of(rows.stream().mapToDouble(r -> r[column]).toArray());
    }
}
