package dev.cdcrelay.proof;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent writers to the same items converge: N writers apply overlapping, separately shuffled
 * shares of one seeded history (removes, re-creates, TTL removes, duplicates, same-microsecond
 * ties) into one table at the same time, then the sink must equal the source key by key.
 *
 * <p>Writers are threads (each its own {@link Relay} and connection, Lambda-like batches that
 * resume from {@code firstFailedSequence}) or separate JVMs running the replay command on share
 * files. Normal run: 4 writers, a handful of seeds on PostgreSQL; CrateDB too when
 * {@code CRATEDB_JDBC_URL} is set. Soak: {@code -Dproof.concurrent.operations=50000}
 * (optionally {@code -Dproof.concurrent.keys}, {@code -Dproof.concurrent.writers},
 * {@code -Dproof.concurrent.seeds=N}); one seed: {@code -Dproof.seed=N}.
 */
class ConcurrentConvergenceTest {

    static {
        ProofJvm.driverAssertionsOff();
    }

    private static final int WRITERS = Integer.getInteger("proof.concurrent.writers", 4);
    private static final int OPERATIONS = Integer.getInteger("proof.concurrent.operations", 1_500);
    private static final int KEYS = Integer.getInteger("proof.concurrent.keys", 40);
    private static final int MAX_BATCH = 40;
    /** The replay command applies 1,000 records per batch: more items keep its batches overlapping. */
    private static final int PROCESS_OPERATIONS = Integer.getInteger("proof.concurrent.operations", 4_000);
    private static final int PROCESS_KEYS = Integer.getInteger("proof.concurrent.keys", 200);
    private static final Pattern CONFLICTS = Pattern.compile("(\\d+) conflicting change\\(s\\) re-read");

    static List<Long> seeds(int count) {
        String one = System.getProperty("proof.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        int n = Integer.getInteger("proof.concurrent.seeds", count);
        List<Long> seeds = new ArrayList<>(List.of(101L, 202L, 303L, 404L).subList(0, Math.min(4, Math.max(0, n - 1))));
        for (long clock = System.nanoTime() & 0xffffffL; seeds.size() < n; clock++) {
            seeds.add(clock);
        }
        return seeds;
    }

    private static Map<String, String> env(String url, String table) {
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.put("RELAY_KEY_SCHEMA", ConvergenceHarness.KEY + ":S");
        return env;
    }

    /** Creates the tables before the writers start, as a deployed sink has them. */
    private static void prepare(String url, String table) {
        try (Relay ignored = Relay.fromConfig(RelayConfig.fromEnvironment(env(url, table)), line -> { })) {
            // warm-up created the tables (the key schema is configured)
        }
    }

    @Test
    void postgresConvergesWithFourThreadWriters() throws Exception {
        for (long seed : seeds(5)) {
            threads("concurrent-threads/postgres", TestSinks.postgresUrl(), false, seed);
        }
    }

    @Test
    void postgresConvergesWithFourReplayProcesses(@TempDir Path dir) throws Exception {
        for (long seed : seeds(2)) {
            processes("concurrent-processes/postgres", TestSinks.postgresUrl(), false, seed, dir);
        }
    }

    @Test
    void crateDbConvergesWithFourThreadWriters() throws Exception {
        ConvergenceTest.assumeCrateDb();
        for (long seed : seeds(5)) {
            threads("concurrent-threads/cratedb", TestSinks.cratedbUrl(), true, seed);
        }
    }

    @Test
    void crateDbConvergesWithFourReplayProcesses(@TempDir Path dir) throws Exception {
        ConvergenceTest.assumeCrateDb();
        for (long seed : seeds(5)) {
            processes("concurrent-processes/cratedb", TestSinks.cratedbUrl(), true, seed, dir);
        }
    }

    // ---- threads -----------------------------------------------------------------------------------

    private void threads(String name, String url, boolean crate, long seed) throws Exception {
        ConvergenceHarness h = new ConvergenceHarness(seed, KEYS).operate(OPERATIONS);
        List<List<IncomingRecord>> shares = h.shares(WRITERS);
        String table = TestSinks.freshTable("concurrent");
        prepare(url, table);
        AtomicLong conflicts = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                List<IncomingRecord> share = shares.get(w);
                Random random = new Random(seed * 31 + w);
                done.add(pool.submit(() -> {
                    try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env(url, table)), line -> { })) {
                        start.await(30, TimeUnit.SECONDS);
                        applyLikeLambda(relay, share, random, conflicts, batches, h);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        check(name, url, crate, table, h, "keys=" + KEYS + " writers=" + WRITERS + " (threads) writerBatches=" + batches
                + " conflictsRetried=" + conflicts);
    }

    /** One writer's share, in random batches; after a reported failure, again from that record. */
    private static void applyLikeLambda(Relay relay, List<IncomingRecord> share, Random random, AtomicLong conflicts,
                                        AtomicLong batches, ConvergenceHarness h) {
        int pos = 0;
        int failuresInARow = 0;
        while (pos < share.size()) {
            List<IncomingRecord> batch = share.subList(pos, Math.min(share.size(), pos + 1 + random.nextInt(MAX_BATCH)));
            BatchResult r = relay.apply(batch, Deadline.inMillis(60_000));
            batches.incrementAndGet();
            conflicts.addAndGet(r.writer().conflictsRetried);
            if (r.firstFailedSequence().isEmpty()) {
                pos += batch.size();
                failuresInARow = 0;
                continue;
            }
            if (++failuresInARow > 50) {
                throw new AssertionError(h.failure("a writer is stuck: " + r.summary()));
            }
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).sequenceNumber().equals(r.firstFailedSequence().get())) {
                    pos += i;
                    break;
                }
            }
        }
    }

    // ---- processes ---------------------------------------------------------------------------------

    private void processes(String name, String url, boolean crate, long seed, Path dir) throws Exception {
        ConvergenceHarness h = new ConvergenceHarness(seed, PROCESS_KEYS).operate(PROCESS_OPERATIONS);
        List<List<IncomingRecord>> shares = h.shares(WRITERS);
        String table = TestSinks.freshTable("concurrent-p");
        prepare(url, table);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        long startAt = System.currentTimeMillis() + 4_000; // JVM start-up of all children fits in this
        List<Process> children = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Path share = dir.resolve("share-" + seed + "-" + w + ".json");
            // Several Lambda event documents one after the other: what a dead-letter dump looks like.
            StringBuilder events = new StringBuilder();
            List<IncomingRecord> records = shares.get(w);
            for (int from = 0; from < records.size(); from += MAX_BATCH) {
                events.append(KinesisRecords.lambdaEventJson(records.subList(from, Math.min(records.size(), from + MAX_BATCH))))
                        .append('\n');
            }
            Files.writeString(share, events, StandardCharsets.UTF_8);
            Path out = dir.resolve("out-" + seed + "-" + w + ".txt");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                    ShareReplay.class.getName(), Long.toString(startAt), share.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().putAll(env(url, table));
            children.add(pb.start());
            outputs.add(out);
        }
        long conflicts = 0;
        for (int w = 0; w < WRITERS; w++) {
            Process p = children.get(w);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(h.failure("replay process " + w + " did not finish"));
            }
            String output = Files.readString(outputs.get(w), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), h.failure("replay process " + w + " failed:\n" + tail(output)));
            assertTrue(output.contains("failed=0"), h.failure("replay process " + w + ":\n" + tail(output)));
            Matcher m = CONFLICTS.matcher(output);
            while (m.find()) {
                conflicts += Long.parseLong(m.group(1));
            }
        }
        check(name, url, crate, table, h, "keys=" + PROCESS_KEYS + " writers=" + WRITERS
                + " (replay processes) conflictsRetried=" + conflicts);
    }

    private static String tail(String s) {
        return s.length() <= 3_000 ? s : s.substring(s.length() - 3_000);
    }

    private static void check(String name, String url, boolean crate, String table, ConvergenceHarness h,
                              String extra) throws Exception {
        List<String> diff = h.differences(ConvergenceHarness.rows(url, table, crate));
        if (crate) {
            TestSinks.dropTables(url, table);
        }
        h.figures().lost = diff.size();
        ConvergenceHarness.Figures f = h.figures();
        ProofFigures.report(name + " seed=" + h.seed(), "operations=" + f.operations + " (insert=" + f.inserts
                + " modify=" + f.modifies + " remove=" + f.removes + " ttlRemove=" + f.ttlRemoves
                + " sameMicrosecondTies=" + f.sameMicrosecondTies + ") recordsDelivered="
                + f.recordsDelivered + " duplicates=" + f.duplicates + " " + extra + " wrongItems=" + diff.size());
        assertTrue(diff.isEmpty(), h.failure(diff.size() + " item(s) differ from the source after concurrent writers:\n  "
                + String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
    }
}
