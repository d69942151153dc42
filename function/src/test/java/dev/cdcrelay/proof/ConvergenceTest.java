package dev.cdcrelay.proof;

import dev.cdcrelay.deadletter.DirectoryDeadLetterSink;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.SplitBatchWriter;
import dev.cdcrelay.write.SinkConnection;
import dev.cdcrelay.write.SinkWriter;
import dev.cdcrelay.testing.TestSinks;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is lost, nothing is doubled, the newest version wins: seeded random histories delivered
 * with duplicates, reordering, re-deliveries and (through a proxy) cut connections, then the sink
 * is compared with the source key by key.
 *
 * <p>Normal run: a few thousand operations. Soak: {@code -Dproof.soak.operations=200000}
 * (optionally {@code -Dproof.soak.keys=1000}); one seed: {@code -Dproof.seed=N}.
 */
class ConvergenceTest {

    static {
        ProofJvm.driverAssertionsOff();
    }

    private static final int OPERATIONS_PER_SEED = 1_000;
    private static final int KEYS = 25;

    static List<Long> seeds() {
        String one = System.getProperty("proof.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        return List.of(11L, 22L, System.nanoTime() & 0xffffffL);
    }

    static int operations() {
        return Integer.getInteger("proof.soak.operations", OPERATIONS_PER_SEED);
    }

    static int keys() {
        return System.getProperty("proof.soak.operations") != null ? Integer.getInteger("proof.soak.keys", 1000) : KEYS;
    }

    private Relay relay(String url, String table, Map<String, String> extra, List<String> logs) {
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.putAll(extra);
        return Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add);
    }

    /**
     * A relay whose every batch of two items or more is split over {@code connections}
     * connections ({@code RELAY_SINK_CONNECTIONS} splits only batches of 100 items a part and more,
     * which a history of 25 keys never makes).
     */
    private static Relay splitRelay(String url, String table, Path deadLetters, int connections, List<String> logs) {
        RelayConfig config = RelayConfig.fromEnvironment(TestSinks.env(url, table));
        List<SinkWriter> writers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            writers.add(new SinkWriter(new SinkConnection(config.jdbcUrl(), config.user(), config.password(),
                    config.connectTimeoutSeconds()), null, config.table(), config.tombstoneTable(),
                    config.keySchema().orElse(null), config.declaredTypes(), config.writerSettings(), logs::add));
        }
        return new Relay(new ChangeDecoder(), new SplitBatchWriter(writers, List.of(), 1),
                new DirectoryDeadLetterSink(deadLetters), config.ttlDeletes(), logs::add);
    }

    private void converge(String name, String url, boolean crate, long seed, Path deadLetters) throws Exception {
        converge(name, url, crate, seed, deadLetters, 1);
    }

    private void converge(String name, String url, boolean crate, long seed, Path deadLetters, int connections)
            throws Exception {
        ConvergenceHarness h = new ConvergenceHarness(seed, keys()).operate(operations());
        String table = TestSinks.freshTable("proof");
        List<String> logs = new ArrayList<>();
        try (Relay relay = connections == 1
                ? relay(url, table, Map.of("RELAY_DEAD_LETTER_DIR", deadLetters.toString()), logs)
                : splitRelay(url, table, deadLetters, connections, logs)) {
            ConvergenceHarness.Delivery d = ConvergenceHarness.Delivery.hostile();
            h.deliver(relay, h.arrivals(d), d, null, 60_000);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(h.failure(e.getMessage()), e);
        }
        List<String> diff = h.differences(ConvergenceHarness.rows(url, table, crate));
        if (crate) {
            TestSinks.dropTables(url, table);
        }
        h.figures().lost = diff.size();
        ProofFigures.report(name + " seed=" + seed, h.figures().toString());
        assertTrue(diff.isEmpty(), h.failure(diff.size() + " item(s) differ from the source:\n  "
                + String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
        assertDirectoryEmpty(deadLetters, h);
    }

    static void assertDirectoryEmpty(Path dir, ConvergenceHarness h) throws Exception {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                List<String> reasons = new java.util.ArrayList<>();
                for (Path f : files.toList()) {
                    var letter = dev.cdcrelay.deadletter.DeadLetterCodec.read(Files.readAllBytes(f));
                    reasons.add(letter.record().sequenceNumber() + ": " + letter.reason());
                }
                assertEquals(List.of(), reasons, h.failure("nothing in this history is poison, yet records were dead-lettered"));
            }
        }
    }

    @Test
    void postgresConvergesUnderDuplicatesReorderingAndRedelivery(@TempDir Path dir) throws Exception {
        for (long seed : seeds()) {
            converge("convergence/postgres", TestSinks.postgresUrl(), false, seed, dir.resolve("dl-" + seed));
        }
    }

    @Test
    void crateDbConvergesUnderDuplicatesReorderingAndRedelivery(@TempDir Path dir) throws Exception {
        assumeCrateDb();
        for (long seed : seeds()) {
            converge("convergence/cratedb", TestSinks.cratedbUrl(), true, seed, dir.resolve("dl-" + seed));
        }
    }

    /** Skips a CrateDB proof without {@code CRATEDB_JDBC_URL}, saying so in the output (the proofs' skip). */
    static void assumeCrateDb() {
        if (TestSinks.cratedbUrl() == null) {
            System.out.println("[proof] " + TestSinks.CRATEDB_SKIP_REASON);
        }
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
    }

    /** The same histories with every batch split over 3 connections written at once. */
    @Test
    void postgresConvergesWithEveryBatchSplitOverThreeConnections(@TempDir Path dir) throws Exception {
        for (long seed : seeds()) {
            converge("convergence-split/postgres", TestSinks.postgresUrl(), false, seed, dir.resolve("dl-" + seed), 3);
        }
    }

    @Test
    void crateDbConvergesWithEveryBatchSplitOverThreeConnections(@TempDir Path dir) throws Exception {
        assumeCrateDb();
        for (long seed : seeds()) {
            converge("convergence-split/cratedb", TestSinks.cratedbUrl(), true, seed, dir.resolve("dl-" + seed), 3);
        }
    }

    /** The same, with the connection cut at random points of random batches (through a proxy). */
    @Test
    void postgresConvergesWhileTheConnectionIsCutAtRandom(@TempDir Path dir) throws Exception {
        EmbeddedPostgres pg = TestSinks.postgres();
        long seed = seeds().get(seeds().size() - 1) + 1;
        ConvergenceHarness h = new ConvergenceHarness(seed, KEYS).operate(Math.min(operations(), 800));
        String table = TestSinks.freshTable("proof-cut");
        Path deadLetters = dir.resolve("dl");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", pg.getPort());
             Relay relay = relay("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres", table,
                     Map.of("RELAY_DEAD_LETTER_DIR", deadLetters.toString(), "RELAY_MAX_ATTEMPTS", "1",
                             "RELAY_CONNECT_TIMEOUT_SECONDS", "2", "RELAY_ROWS_PER_BATCH", "7"), new ArrayList<>())) {
            ConvergenceHarness.Delivery d = ConvergenceHarness.Delivery.hostile();
            h.deliver(relay, h.arrivals(d), d, (random, batch) -> {
                proxy.restore();
                proxy.resetCount();
                if (batch > 0 && random.nextInt(4) == 0) {
                    proxy.cutAfterClientBytes(random.nextInt(6_000));
                    return true;
                }
                return false;
            }, 20_000);
            proxy.restore();
            List<String> diff = h.differences(ConvergenceHarness.rows(TestSinks.postgresUrl(), table, false));
            h.figures().lost = diff.size();
            ProofFigures.report("convergence-with-cuts/postgres seed=" + seed, h.figures() + " proxyCuts=" + proxy.cuts());
            assertTrue(diff.isEmpty(), h.failure(String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
            assertTrue(proxy.cuts() > 0, "the proxy never cut");
            if (h.lastFunctionError != null) {
                System.out.println("[proof] last function error (Lambda retries the whole batch): " + h.lastFunctionError);
            }
        }
        assertDirectoryEmpty(deadLetters, h);
    }
}
