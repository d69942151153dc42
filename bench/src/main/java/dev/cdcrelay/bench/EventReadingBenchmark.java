package dev.cdcrelay.bench;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.management.OperatingSystemMXBean;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventReader;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
        if (args.length == 1) {
            child(args[0]);
            return;
        }
        Path functionTarget = Path.of(System.getProperty("bench.functionTarget", "function/target"));
        String cp = System.getProperty("java.class.path").split(File.pathSeparator)[0] + File.pathSeparator
                + functionTarget.resolve("function.jar") + File.pathSeparator + functionTarget.resolve("lib") + "/*";
        int turns = Integer.getInteger("bench.eventTurns", 9);
        List<List<double[]>> figures = List.of(new ArrayList<>(), new ArrayList<>());
        for (int t = 0; t < turns; t++) {
            for (int w = 0; w < WAYS.length; w++) {
                figures.get(w).add(runChild(cp, WAYS[w]));
            }
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
    private static double[] runChild(String cp, String way) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp, EventReadingBenchmark.class.getName(), way);
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

    private static void child(String way) throws Exception {
        byte[] event = event(100);
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

    /** A Lambda event of Kinesis records, each carrying the seed's change record (REFERENCE section 1). */
    private static byte[] event(int n) {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < n; i++) {
            String data = Base64.getEncoder().encodeToString(StartupProbe.seedJson("event-" + i, i)
                    .getBytes(StandardCharsets.UTF_8));
            sb.append(i == 0 ? "" : ",").append("{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk")
                    .append(i).append("\",\"sequenceNumber\":\"").append(StartupProbe.sequence(i + 1))
                    .append("\",\"data\":\"").append(data).append("\",\"approximateArrivalTimestamp\":1720742302.233},")
                    .append("\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\",")
                    .append("\"eventID\":\"shardId-000000000000:").append(StartupProbe.sequence(i + 1)).append("\",")
                    .append("\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/relay\",")
                    .append("\"awsRegion\":\"eu-central-1\",")
                    .append("\"eventSourceARN\":\"arn:aws:kinesis:eu-central-1:123456789012:stream/relay\"}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
