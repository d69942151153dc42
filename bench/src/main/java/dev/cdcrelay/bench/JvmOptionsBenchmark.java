package dev.cdcrelay.bench;

import dev.cdcrelay.testing.TestSinks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * C1 only (the image's {@code -XX:TieredStopAtLevel=1}) against full tiered compilation, for a
 * warm container: child JVMs on the packaged class path run {@link WarmProbe} (100 consecutive
 * batches through one Relay), the option sets taking turns. Prints, per option set, the time from
 * launching the JVM to the first applied batch and the warm throughput (batches 51-100), medians
 * over the turns with their spread. Into CrateDB when {@code CRATEDB_JDBC_URL} is set, else the
 * embedded PostgreSQL. Run: {@code mvn -B -q -pl bench exec:exec@jvm} (see docs/performance.md).
 * System properties: {@code bench.functionTarget}, {@code bench.jar}, {@code bench.jvmTurns}
 * (default 3), {@code bench.jvmBatch} (records per batch, default 100: the stack's default).
 */
public final class JvmOptionsBenchmark {

    private static final int BATCHES = 100;

    private JvmOptionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path functionTarget = Path.of(System.getProperty("bench.functionTarget", "../function/target"));
        Path benchJar = Path.of(System.getProperty("bench.jar", "target/bench-0.1.0-SNAPSHOT.jar"));
        String cp = benchJar + File.pathSeparator + functionTarget.resolve("function.jar") + File.pathSeparator
                + functionTarget.resolve("lib") + "/*";
        int turns = Integer.getInteger("bench.jvmTurns", 3);
        int n = Integer.getInteger("bench.jvmBatch", 100);
        String url = TestSinks.cratedbUrl() != null ? TestSinks.cratedbUrl() : TestSinks.postgresUrl();
        String[][] variants = {
                {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx768m"},
                {"-XX:+UseSerialGC", "-Xmx768m"},
        };
        String[] names = {"C1 only (image: TieredStopAtLevel=1)", "full tiered (C1+C2)"};
        System.out.printf(Locale.ROOT, "%n== JVM options: a warm container, %d consecutive batches of %,d seed records"
                + " (half MODIFY of the batch before) into %s, SerialGC, -Xmx768m (1 GB function, 75 %%)%n", BATCHES, n,
                url.equals(TestSinks.postgresUrl()) ? "postgresql (embedded)" : "cratedb");
        long[][] first = new long[variants.length][turns];
        double[][] warm = new double[variants.length][turns];
        double[][] total = new double[variants.length][turns];
        Progress progress = new Progress("JVM options", turns * variants.length);
        for (int t = 0; t < turns; t++) {
            for (int v = 0; v < variants.length; v++) {
                String table = TestSinks.freshTable("perf-jvm");
                try {
                    long[] batchNanos = new long[BATCHES];
                    first[v][t] = runChild(List.of(variants[v]), cp, url, table, n, batchNanos);
                    long warmNanos = Arrays.stream(batchNanos, BATCHES / 2, BATCHES).sum();
                    warm[v][t] = (BATCHES / 2) * (double) n * 1e9 / warmNanos;
                    total[v][t] = BATCHES * (double) n * 1e9 / Arrays.stream(batchNanos).sum();
                } finally {
                    TestSinks.dropTables(url, table);
                }
                progress.step(names[v]);
            }
        }
        System.out.printf("%-38s %22s %26s %26s%n", "JVM options", "first batch ms (range)",
                "warm rec/s, 51-100 (range)", "all 100 batches rec/s");
        for (int v = 0; v < variants.length; v++) {
            long[] f = first[v].clone();
            Arrays.sort(f);
            double[] w = warm[v].clone();
            Arrays.sort(w);
            double[] a = total[v].clone();
            Arrays.sort(a);
            System.out.printf(Locale.ROOT, "%-38s %8d (%,d-%,d) %12.0f (%,.0f-%,.0f) %12.0f (%,.0f-%,.0f)%n", names[v],
                    f[turns / 2], f[0], f[turns - 1], w[turns / 2], w[0], w[turns - 1], a[turns / 2], a[0],
                    a[turns - 1]);
        }
        System.out.println("first batch: wall clock from ProcessBuilder.start() to the child's first BATCH line"
                + " (JVM start, Relay.fromConfig, table creation, one batch). Turns interleaved.");
        System.exit(0);
    }

    /** Returns the ms from launch to the first batch applied; fills the batches' nanos. */
    private static long runChild(List<String> options, String cp, String url, String table, int n, long[] batchNanos)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", cp, WarmProbe.class.getName(), Integer.toString(BATCHES), Integer.toString(n)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(TestSinks.env(url, table));
        pb.environment().put("BENCH_ITEM_PREFIX", table);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        long t0 = System.nanoTime();
        Process p = pb.start();
        long firstMs = -1;
        int seen = 0;
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("BATCH ")) {
                    if (firstMs < 0) {
                        firstMs = (System.nanoTime() - t0) / 1_000_000;
                    }
                    String[] f = line.split(" ");
                    batchNanos[Integer.parseInt(f[1]) - 1] = Long.parseLong(f[2]);
                    seen++;
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || seen != BATCHES) {
            throw new IllegalStateException("warm probe failed (exit " + rc + "): " + cmd + "\n" + other);
        }
        return firstMs;
    }
}
