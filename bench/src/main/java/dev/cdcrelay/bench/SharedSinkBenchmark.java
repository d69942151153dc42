package dev.cdcrelay.bench;

import dev.cdcrelay.bench.CeilingBenchmark.Workload;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several shards catching up at once, into one table: N relays, each with connections of its own
 * as N Lambda containers have (one per shard at parallelization factor 1), apply their batches at
 * the same time, with {@code RELAY_SINK_CONNECTIONS=1} and then 2, turns interleaved. It answers
 * what {@link CeilingBenchmark} cannot, with one relay on an otherwise idle database: does a
 * second connection per container still pay when the database is what limits, or does cutting
 * each batch in two (each part with its own look-ups) cost the database more than it saves?
 *
 * <p>Prints, per N, the records per second of all relays together (median of the turns, min-max),
 * the median of the per-turn ratios two connections / one, and, with {@code bench.databasePid},
 * the database's CPU per 1,000 records. Each turn has fresh tables; the items a batch modifies are
 * written before the turn, untimed. Into CrateDB when {@code CRATEDB_JDBC_URL} is set, else the
 * embedded PostgreSQL. System properties: {@code bench.relays} (default {@code 1,2,4}),
 * {@code bench.sharedTurns} (per setting, default 5), {@code bench.sharedBatches} (per relay and
 * turn, default 5), {@code bench.sharedBatch} (records, default 1,000), {@code bench.sharedWorkload}
 * (a {@link Workload}, default {@code HALF_MODIFY}).
 */
public final class SharedSinkBenchmark {

    private static final int[] CONNECTIONS = {1, 2};

    private SharedSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = TestSinks.cratedbUrl() != null ? TestSinks.cratedbUrl() : TestSinks.postgresUrl();
        int[] relays = Arrays.stream(System.getProperty("bench.relays", "1,2,4").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int turns = Integer.getInteger("bench.sharedTurns", 5);
        int batches = Integer.getInteger("bench.sharedBatches", 5);
        int batch = Integer.getInteger("bench.sharedBatch", 1000);
        Workload workload = Workload.valueOf(System.getProperty("bench.sharedWorkload", Workload.HALF_MODIFY.name()));
        boolean databaseCpu = CpuClock.read().databaseNanos() >= 0;
        System.out.printf(Locale.ROOT, "%n== Shards catching up at once into one %s table: N relays at the same time,"
                        + " %d batches of %,d (%s) each, RELAY_SINK_CONNECTIONS 1 against 2; %d turns a setting,"
                        + " interleaved, fresh tables each turn%n",
                url.equals(TestSinks.postgresUrl()) ? "postgresql (embedded)" : "cratedb", batches, batch,
                workload.label, turns);
        warmUp(url, batch, workload);
        System.out.printf("%-7s %-12s %26s %13s %16s%n", "relays", "connections", "records/s, all (min-max)",
                "2 conn. / 1", databaseCpu ? "database ms/1,000" : "");
        Progress progress = new Progress("shared sink", relays.length * turns * CONNECTIONS.length);
        for (int n : relays) {
            double[][] rates = new double[CONNECTIONS.length][turns];
            double[][] dbMillis = new double[CONNECTIONS.length][turns];
            double[] ratios = new double[turns];
            for (int t = 0; t < turns; t++) {
                for (int k = 0; k < CONNECTIONS.length; k++) {
                    int c = (t % 2 == 0) ? k : CONNECTIONS.length - 1 - k;   // ABBA: drift hits both alike
                    double[] r = turn(url, n, CONNECTIONS[c], batches, batch, workload, "s" + n + "c" + c + "t" + t);
                    rates[c][t] = r[0];
                    dbMillis[c][t] = r[1];
                    progress.step(n + " relays, " + CONNECTIONS[c] + " connection(s)");
                }
                ratios[t] = rates[1][t] / rates[0][t];
            }
            for (int c = 0; c < CONNECTIONS.length; c++) {
                double[] s = rates[c].clone();
                Arrays.sort(s);
                System.out.printf(Locale.ROOT, "%-7d %-12d %10.0f (%,.0f-%,.0f) %13s %16s%n", n, CONNECTIONS[c],
                        Medians.of(rates[c]), s[0], s[turns - 1],
                        c == 1 ? String.format(Locale.ROOT, "%.2f", Medians.of(ratios)) : "",
                        databaseCpu ? String.format(Locale.ROOT, "%.0f", Medians.of(dbMillis[c])) : "");
            }
        }
        System.out.println("records/s, all: the records of every relay over the wall clock from the start of the"
                + " first batch to the end of the last; 2 conn. / 1: median of the turns' ratios.");
        System.exit(0);
    }

    /** Untimed turns of each setting, so that the timed ones find this JVM's code compiled. */
    private static void warmUp(String url, int batch, Workload workload) throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int connections : CONNECTIONS) {
                turn(url, 2, connections, 3, batch, workload, "warm" + round + "c" + connections);
            }
        }
    }

    /** One turn: returns {records per second of all relays, database CPU ms per 1,000 records or -1}. */
    private static double[] turn(String url, int relays, int connections, int batches, int batch, Workload workload,
                                 String run) throws Exception {
        String table = TestSinks.freshTable("perf-shared");
        List<Relay> open = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(relays);
        try {
            Map<String, String> env = BenchEnv.relayEnv(url, table);
            env.put("RELAY_SINK_CONNECTIONS", Integer.toString(connections));
            for (int r = 0; r < relays; r++) {   // one after the other: the first creates the tables
                open.add(Relay.fromConfig(RelayConfig.fromEnvironment(env), m -> { }));
            }
            List<List<List<IncomingRecord>>> work = new ArrayList<>();
            for (int r = 0; r < relays; r++) {
                List<List<IncomingRecord>> mine = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    String name = run + "r" + r + "b" + b;
                    Random rnd = new Random(name.hashCode());
                    if (workload != Workload.INSERT_ONLY) {
                        List<IncomingRecord> stored = CeilingBenchmark.stored(name, batch, rnd);
                        CeilingBenchmark.check(open.get(r).apply(stored, Deadline.none()));
                    }
                    mine.add(CeilingBenchmark.batch(workload, name, batch, rnd));
                }
                work.add(mine);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < relays; r++) {
                Relay relay = open.get(r);
                List<List<IncomingRecord>> mine = work.get(r);
                done.add(pool.submit(() -> {
                    start.await();
                    for (List<IncomingRecord> b : mine) {
                        CeilingBenchmark.check(relay.apply(b, Deadline.none()));
                    }
                    return null;
                }));
            }
            CpuClock.Reading before = CpuClock.read();
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            long nanos = System.nanoTime() - t0;
            CpuClock.Reading after = CpuClock.read();
            long records = (long) relays * batches * batch;
            double dbMillisPerThousand = before.databaseNanos() < 0 ? -1
                    : (after.databaseNanos() - before.databaseNanos()) / 1e6 / (records / 1000.0);
            return new double[]{records * 1e9 / nanos, dbMillisPerThousand};
        } finally {
            pool.shutdownNow();
            for (Relay relay : open) {
                relay.close();
            }
            TestSinks.dropTables(url, table);
        }
    }
}
