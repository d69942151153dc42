package dev.cdcrelay.bench;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.CrateDbDialect;
import dev.cdcrelay.write.Deadline;
import dev.cdcrelay.write.PostgresDialect;
import dev.cdcrelay.write.TableName;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The relay against the database's own ceiling, in the same run: per workload and batch size, the
 * relay's {@code Relay.apply} and {@link Ceiling} (the same final rows, the same driver, one bulk
 * upsert, no guard) take turns on twin tables, batch after batch; each row prints both rates
 * (median, min-max) and relay/ceiling: the median of the per-turn ratios with their spread, and
 * the ratio of the mean turn times (steadier than a median of 5-8 turns on a noisy machine).
 *
 * <p>Workloads of seed readings: INSERT-only (fresh items); 50/50 INSERT of fresh items and
 * MODIFY of items stored before the turn; MODIFY-only of stored items; 10 % REMOVE of stored items
 * (with 50 % MODIFY of stored items, 40 % INSERT). The stored items are written to both tables
 * before each turn, untimed. Run alone: {@code mvn -B -q -pl bench exec:exec@ceiling}; also a
 * section of {@link RelayBenchmark}. System properties: {@code bench.ceilingSizes} (default
 * {@code 100,1000,10000}), {@code bench.workloads} (e.g. {@code MODIFY_ONLY,REMOVE_10}; default all),
 * {@code bench.sinks} ({@code postgresql}, {@code cratedb} or both, the default), {@code bench.runs}
 * (timed turns per row; default 20 at batch 100, 8 at 1,000, 5 above), {@code bench.split}
 * ({@code true}: on CrateDB, the relay's and the ceiling's statements by kind, {@link StatementSplit},
 * with the CPU this JVM used per turn, and the database's when {@code bench.databasePid} names its
 * process on this machine, {@link CpuClock}).
 */
public final class CeilingBenchmark {

    enum Workload {
        INSERT_ONLY("INSERT only"), HALF_MODIFY("50/50 INS/MOD"), MODIFY_ONLY("MODIFY only"),
        REMOVE_10("10% REMOVE");

        final String label;

        Workload(String label) {
            this.label = label;
        }
    }

    /** relay/ceiling medians of one row, for the summary. */
    record Figure(String sink, Workload workload, int batch, double relayRate, double ceilingRate, double ratio) {
    }

    private static final KinesisRecords SEQUENCE = new KinesisRecords(1);
    /** {@code -Dbench.ceilingConnections}: the ceiling's connections (1, the ceiling, by default). */
    private static final int CEILING_CONNECTIONS = Integer.getInteger("bench.ceilingConnections", 1);
    private static long micros = ChangeJson.DEFAULT_MICROS;

    private CeilingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String only = System.getProperty("bench.sinks", "postgresql,cratedb");
        List<String> sinks = new ArrayList<>();
        if (only.contains("postgresql")) {
            sinks.add(TestSinks.postgresUrl());
        }
        if (!only.contains("cratedb")) {
            System.out.println("(CrateDB not measured: bench.sinks=" + only + ")");
        } else if (TestSinks.cratedbUrl() != null) {
            sinks.add(TestSinks.cratedbUrl());
        } else {
            System.out.println("(CrateDB not measured: set CRATEDB_JDBC_URL)");
        }
        for (String url : sinks) {
            run(url, url.equals(TestSinks.cratedbUrl()) ? "cratedb" : "postgresql");
        }
        System.exit(0);
    }

    static List<Figure> run(String url, String sinkName) throws Exception {
        boolean crate = url.equals(TestSinks.cratedbUrl());
        int[] sizes = Arrays.stream(System.getProperty("bench.ceilingSizes", "100,1000,10000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        System.out.println();
        System.out.println("== Relay vs ceiling into " + sinkName + " (seed readings; turns interleaved on twin tables)");
        System.out.println("relay: Relay.apply (decode, reduce, plan, guarded writes, tombstones, rowcounts checked);");
        System.out.println("ceiling: the same final rows, planned beforehand, one bulk INSERT ... ON CONFLICT DO UPDATE"
                + " (no guard, no look-ups) + one bulk DELETE by key; same driver, same table layout");
        if (CEILING_CONNECTIONS > 1) {
            System.out.println("ceiling on " + CEILING_CONNECTIONS + " connections (-Dbench.ceilingConnections): the"
                    + " rows cut into parts as the relay cuts them, one bulk upsert (and delete) per connection at once");
        }
        if (!BenchEnv.describe().isEmpty()) {
            System.out.println("relay settings from the environment: " + BenchEnv.describe());
        }
        System.out.printf("%-14s %6s %4s %20s %20s %8s %13s %9s%n", "workload", "batch", "runs", "relay rec/s (min-max)",
                "ceiling rec/s (min-max)", "relay/ceil", "ratio min-max", "of means");
        List<Figure> figures = new ArrayList<>();
        int total = 0;
        for (int n : sizes) {
            total += workloads().size() * runs(n);
        }
        Progress progress = new Progress("relay vs ceiling, " + sinkName, total);
        String relayTable = TestSinks.freshTable("perf-relay");
        String ceilingTable = TestSinks.freshTable("perf-ceiling");
        List<Connection> more = new ArrayList<>();
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(BenchEnv.relayEnv(url, relayTable)), m -> { });
             Connection jdbc = TestSinks.connect(url)) {
            for (int i = 1; i < CEILING_CONNECTIONS; i++) {
                more.add(TestSinks.connect(url));
            }
            Ceiling ceiling = new Ceiling(jdbc, more, crate ? new CrateDbDialect() : new PostgresDialect(), crate,
                    TableName.parse(ceilingTable, "table"));
            try {
                warmUp(relay, ceiling, sizes);
                for (Workload w : workloads()) {
                    for (int n : sizes) {
                        figures.add(measure(sinkName, w, n, relay, ceiling, progress, crate ? relayTable : null));
                    }
                }
            } finally {
                ceiling.drop();
            }
        } finally {
            for (Connection c : more) {
                c.close();
            }
            TestSinks.dropTables(url, relayTable);
        }
        return figures;
    }

    /** System property {@code bench.workloads}: names of {@link Workload} to run (default all). */
    static List<Workload> workloads() {
        String only = System.getProperty("bench.workloads", "");
        return Arrays.stream(Workload.values()).filter(w -> only.isBlank() || only.contains(w.name())).toList();
    }

    static int runs(int n) {
        return Integer.getInteger("bench.runs", n <= 100 ? 20 : n <= 1000 ? 8 : 5);
    }

    /**
     * Rounds of every workload until the JIT is done: the figures are for the steady state, and a
     * JVM still compiling takes CPU from a database on the same machine in the relay's turns more
     * than in the ceiling's (the relay runs far more code; measured: a C2 compiler thread used 62 %
     * of this JVM's CPU over a run with the former four fixed rounds). At least 4 rounds, at most
     * {@value #MAX_WARM_ROUNDS}; done once a round spends under {@value #QUIET_JIT_MILLIS} ms compiling.
     * Then, at each larger size measured, rounds of the measured workloads by the same rule (at
     * least 1, at most {@value #MAX_WARM_ROUNDS_LARGER}).
     */
    private static void warmUp(Relay relay, Ceiling ceiling, int[] sizes) throws Exception {
        long jitBefore = CpuClock.read().jitMillis();
        int round = 0;
        long jit = Long.MAX_VALUE;
        while (round < MAX_WARM_ROUNDS && (round < 4 || jit >= QUIET_JIT_MILLIS)) {
            long start = CpuClock.read().jitMillis();
            for (Workload w : Workload.values()) {
                turn(w, "warm" + round + w.ordinal(), 1000, relay, ceiling, new StatementSplit(), new StatementSplit());
            }
            jit = CpuClock.read().jitMillis() - start;
            round++;
        }
        // Larger batches run longer loops and take paths the 1,000-row rounds did not (measured: a
        // single warm turn at 10,000 left the compiler busy for 241 ms of each timed 10 % REMOVE
        // turn, recompiling the writer). Rounds of the measured workloads at each larger size, by
        // the same rule.
        StringBuilder larger = new StringBuilder();
        for (int n : sizes) {
            if (n > 1000) {
                int rounds = 0;
                long lastJit = Long.MAX_VALUE;
                while (rounds < MAX_WARM_ROUNDS_LARGER && (rounds < 1 || lastJit >= QUIET_JIT_MILLIS)) {
                    long start = CpuClock.read().jitMillis();
                    for (Workload w : workloads()) {
                        turn(w, "warm" + n + "-" + rounds + w.ordinal(), n, relay, ceiling, new StatementSplit(),
                                new StatementSplit());
                    }
                    lastJit = CpuClock.read().jitMillis() - start;
                    rounds++;
                }
                larger.append(String.format(Locale.ROOT, ", %d at %,d (JIT %,d ms in the last)", rounds, n, lastJit));
            }
        }
        System.out.printf(Locale.ROOT, "(warm-up: %d rounds of the four workloads at 1,000%s; JIT %,d ms in all, %,d ms"
                + " in the last round at 1,000)%n", round, larger, CpuClock.read().jitMillis() - jitBefore, jit);
    }

    private static final int MAX_WARM_ROUNDS = 30;
    private static final int MAX_WARM_ROUNDS_LARGER = 6;
    private static final long QUIET_JIT_MILLIS = 100;

    /**
     * @param splitTable on CrateDB, the relay's table: its statements of the timed turns are then
     *                   read back from {@code sys.jobs_log} and printed by kind ({@link StatementSplit})
     */
    private static Figure measure(String sink, Workload w, int n, Relay relay, Ceiling ceiling, Progress progress,
                                  String splitTable) throws Exception {
        StatementSplit split = new StatementSplit();
        StatementSplit ceilingSplit = new StatementSplit();
        int runs = runs(n);
        long[] relayNanos = new long[runs];
        long[] ceilingNanos = new long[runs];
        double[] ratios = new double[runs];
        for (int r = 0; r < runs; r++) {
            long[] t = turn(w, w.name() + n + "-" + r, n, relay, ceiling, split, ceilingSplit);
            relayNanos[r] = t[0];
            ceilingNanos[r] = t[1];
            ratios[r] = (double) t[1] / t[0];
            progress.step(w.label + ", batch " + n);
        }
        double relayRate = n * 1e9 / Medians.of(relayNanos);
        double ceilingRate = n * 1e9 / Medians.of(ceilingNanos);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double ratio = Medians.of(ratios);
        double ofMeans = Arrays.stream(ceilingNanos).average().orElse(0) / Arrays.stream(relayNanos).average().orElse(1);
        System.out.printf(Locale.ROOT, "%-14s %,6d %4d %8.0f (%,.0f-%,.0f) %8.0f (%,.0f-%,.0f) %8.2f %6.2f-%.2f %9.2f%n",
                w.label, n, runs, relayRate, n * 1e9 / max(relayNanos), n * 1e9 / min(relayNanos), ceilingRate,
                n * 1e9 / max(ceilingNanos), n * 1e9 / min(ceilingNanos), ratio, sorted[0], sorted[runs - 1], ofMeans);
        if (splitTable != null && Boolean.getBoolean("bench.split")) {
            System.out.println("    relay:");
            System.out.print(split.report(ceiling.connection(), splitTable));
            System.out.println("    ceiling:");
            System.out.print(ceilingSplit.report(ceiling.connection(), ceiling.table().table()));
        }
        System.out.flush();
        return new Figure(sink, w, n, relayRate, ceilingRate, ratio);
    }

    /**
     * One turn: the stored items written to both tables (untimed), then the relay and the ceiling
     * on the same batch, in alternating order. Returns {relay nanos, ceiling nanos}.
     */
    private static long[] turn(Workload w, String run, int n, Relay relay, Ceiling ceiling, StatementSplit split,
                               StatementSplit ceilingSplit) throws Exception {
        Random rnd = new Random(run.hashCode());
        if (w != Workload.INSERT_ONLY) {
            List<IncomingRecord> stored = stored(run, n, rnd);
            check(relay.apply(stored, Deadline.none()));
            ceiling.write(ceiling.plan(stored));
        }
        List<IncomingRecord> batch = batch(w, run, n, rnd);
        Ceiling.Rows rows = ceiling.plan(batch);
        long relayNanos;
        long ceilingNanos;
        if (run.hashCode() % 2 == 0) {
            relayNanos = timeRelay(relay, batch, split);
            ceilingNanos = timeCeiling(ceiling, rows, ceilingSplit);
        } else {
            ceilingNanos = timeCeiling(ceiling, rows, ceilingSplit);
            relayNanos = timeRelay(relay, batch, split);
        }
        return new long[]{relayNanos, ceilingNanos};
    }

    private static long timeRelay(Relay relay, List<IncomingRecord> batch, StatementSplit split) {
        CpuClock.Reading cpu = CpuClock.read();
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        BatchResult result = relay.apply(batch, Deadline.none());
        long nanos = System.nanoTime() - t0;
        split.add(started, System.currentTimeMillis(), cpu, CpuClock.read());
        check(result);
        return nanos;
    }

    private static long timeCeiling(Ceiling ceiling, Ceiling.Rows rows, StatementSplit split) throws Exception {
        CpuClock.Reading cpu = CpuClock.read();
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        ceiling.write(rows);
        long nanos = System.nanoTime() - t0;
        split.add(started, System.currentTimeMillis(), cpu, CpuClock.read());
        return nanos;
    }

    /** INSERTs of the items a turn's batch modifies or removes ({@code <run>-old-<i>}). */
    static List<IncomingRecord> stored(String run, int n, Random rnd) {
        List<IncomingRecord> stored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            stored.add(SEQUENCE.next(BenchRecords.seed(run + "-old-" + i, false, micros++, rnd)));
        }
        return stored;
    }

    static List<IncomingRecord> batch(Workload w, String run, int n, Random rnd) {
        List<IncomingRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String fresh = run + "-new-" + i;
            String stored = run + "-old-" + i;
            ChangeJson c = switch (w) {
                case INSERT_ONLY -> BenchRecords.seed(fresh, false, micros++, rnd);
                case HALF_MODIFY -> i % 2 == 0 ? BenchRecords.seed(fresh, false, micros++, rnd)
                        : BenchRecords.seed(stored, true, micros++, rnd);
                case MODIFY_ONLY -> BenchRecords.seed(stored, true, micros++, rnd);
                case REMOVE_10 -> i % 10 == 0 ? removal(stored, micros++)
                        : i % 2 == 1 ? BenchRecords.seed(stored, true, micros++, rnd)
                        : BenchRecords.seed(fresh, false, micros++, rnd);
            };
            out.add(SEQUENCE.next(c));
        }
        return out;
    }

    private static ChangeJson removal(String device, long at) {
        return ChangeJson.remove().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .old("temperature", java.math.BigDecimal.ONE).micros(at);
    }

    static void check(BatchResult r) {
        if (!r.fullyHandled() || r.deadLettered() > 0) {
            throw new IllegalStateException("batch not fully applied: " + r.summary());
        }
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElse(1);
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(1);
    }
}
