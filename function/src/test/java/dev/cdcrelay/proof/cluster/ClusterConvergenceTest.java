package dev.cdcrelay.proof.cluster;

import dev.cdcrelay.deadletter.DeadLetterCodec;
import dev.cdcrelay.proof.ConvergenceHarness;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real three-node CrateDB cluster loses nothing while nodes die under the relay (issue 10,
 * item 4). The convergence harness (random history, duplicates, reordering, re-deliveries) runs
 * through {@link Relay} with the production settings and a multi-host URL, into tables with one
 * replica per shard, while
 * <ul>
 *   <li>the node the drivers connect to first is SIGKILLed in the middle of a batch and started
 *       again later, with the relay still writing while it rejoins and its shards recover;</li>
 *   <li>every node in turn is stopped, started and waited for (green) again: a rolling restart.</li>
 * </ul>
 * Afterwards the sink must equal the source key by key (0 lost, 0 doubled) and nothing may have
 * been dead-lettered. Runs once per URL in {@code CRATEDB_CLUSTER_JDBC_URLS} (one per driver);
 * see {@link CrateCluster} for the environment. Skipped, saying why, when it is not set.
 */
class ClusterConvergenceTest {

    static {
        // Production runs without -ea; pgjdbc's internal asserts would turn a dropped connection
        // inside executeBatch into an AssertionError (see proof.ProofJvm).
        ClassLoader loader = org.postgresql.Driver.class.getClassLoader();
        for (String p : List.of("org.postgresql", "io.crate.shade.org.postgresql")) {
            loader.setPackageAssertionStatus(p, false); // and its subpackages
        }
    }

    private static final int OPERATIONS = 1_500;
    private static final int KEYS = 60;
    /** Shards and replicas of the test tables; {@code -Dproof.cluster.shards} / {@code -Dproof.cluster.replicas} to vary. */
    private static final int SHARDS = Integer.getInteger("proof.cluster.shards", 6);
    private static final int REPLICAS = Integer.getInteger("proof.cluster.replicas", 1);
    private static final int KILL_AT_BATCH = 5;
    private static final int RESTART_AT_BATCH = 25;
    private static final long BATCH_DEADLINE_MILLIS = 60_000;

    /** What one run saw, beyond the harness's own figures. */
    private record Run(ConvergenceHarness harness, String table, List<String> logs, long millis) {
        long retries() {
            return logs.stream().filter(l -> l.startsWith("retrying")).count();
        }

        Set<String> distinctRetryReasons() {
            Set<String> reasons = new LinkedHashSet<>();
            logs.stream().filter(l -> l.startsWith("retrying"))
                    .map(l -> l.replaceFirst("^retrying \\d+ item\\(s\\) in \\d+ ms after: ", ""))
                    .map(l -> l.length() > 160 ? l.substring(0, 160) + "..." : l)
                    .forEach(reasons::add);
            return reasons;
        }
    }

    private static CrateCluster clusterOrSkip() {
        var cluster = CrateCluster.fromEnvironment();
        if (cluster.isEmpty()) {
            System.out.println("[proof] " + CrateCluster.SKIP_REASON);
        }
        Assumptions.assumeTrue(cluster.isPresent(), CrateCluster.SKIP_REASON);
        return cluster.get();
    }

    /** The control: the same run with no fault, so a difference can be laid at the fault's door. */
    @Test
    void withoutFaultsTheReplicatedTablesConverge(@TempDir Path dir) throws Exception {
        CrateCluster cluster = clusterOrSkip();
        forEachUrl(cluster, url -> {
            AtomicReference<String> table = new AtomicReference<>();
            Watch watch = new Watch(cluster, url, table);
            Run run = converge(cluster, url, "cluster-calm", dir, table::set, watch, () -> { });
            verifyAndReport(cluster, url, "cluster/no-fault shards=" + SHARDS + " replicas=" + REPLICAS, run, dir);
        });
    }

    @Test
    void aNodeKilledMidBatchAndRestartedLaterLosesNothing(@TempDir Path dir) throws Exception {
        CrateCluster cluster = clusterOrSkip();
        forEachUrl(cluster, url -> {
            AtomicReference<String> victim = new AtomicReference<>(cluster.nodes().get(0));
            AtomicReference<String> table = new AtomicReference<>();
            List<CompletableFuture<Void>> background = Collections.synchronizedList(new ArrayList<>());
            ConvergenceHarness.FaultInjector faults = (random, batch) -> {
                if (batch == KILL_AT_BATCH) {
                    // The node holding the relay's session: its connection breaks, it must fail over.
                    cluster.nodeServing(url, table.get()).ifPresent(victim::set);
                    long delay = random.nextInt(200); // lands inside the batch that starts now
                    background.add(CompletableFuture.runAsync(() -> cluster.control("kill", victim.get()),
                            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)));
                    return true;
                }
                if (batch == RESTART_AT_BATCH) {
                    background.add(CompletableFuture.runAsync(() -> cluster.control("start", victim.get())));
                    return true;
                }
                return false;
            };
            Run run = converge(cluster, url, "cluster-kill", dir, table::set, faults, () -> {
                background.forEach(CompletableFuture::join);
                cluster.control("start", victim.get()); // no-op when the run was long enough to restart it
            });
            verifyAndReport(cluster, url, "cluster/kill-relay-node-" + victim.get() + "-mid-batch", run, dir);
        });
    }

    @Test
    void aRollingRestartLosesNothing(@TempDir Path dir) throws Exception {
        CrateCluster cluster = clusterOrSkip();
        forEachUrl(cluster, url -> {
            AtomicReference<CompletableFuture<Void>> restart = new AtomicReference<>(CompletableFuture.completedFuture(null));
            ConvergenceHarness.FaultInjector faults = (random, batch) -> {
                if (batch == KILL_AT_BATCH) {
                    restart.set(CompletableFuture.runAsync(() -> {
                        for (String node : cluster.nodes()) {
                            cluster.control("stop", node);
                            cluster.control("start", node);
                            cluster.awaitGreen();
                        }
                    }));
                    return true;
                }
                if (!restart.get().isDone()) {
                    pause(1_000); // keep batches coming for as long as the restart takes
                }
                return false;
            };
            Run run = converge(cluster, url, "cluster-rolling", dir, t -> { }, faults, () -> restart.get().join());
            verifyAndReport(cluster, url, "cluster/rolling-restart", run, dir);
        });
    }

    /** One run per URL (per driver); every URL runs even when an earlier one failed. */
    private interface UrlRun {
        void run(String url) throws Exception;
    }

    private static void forEachUrl(CrateCluster cluster, UrlRun body) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        for (String url : cluster.urls()) {
            try {
                body.run(url);
            } catch (Exception | AssertionError e) {
                System.out.println("[proof] FAILED with " + url + ": " + e.getMessage());
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError all = new AssertionError(failures.size() + " of " + cluster.urls().size()
                    + " URL(s) failed; first: " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(all::addSuppressed);
            throw all;
        }
    }

    /** One harness history through the relay into fresh replicated tables; {@code settle} runs after delivery. */
    private static Run converge(CrateCluster cluster, String url, String prefix, Path dir, Consumer<String> tableName,
                                ConvergenceHarness.FaultInjector faults, Runnable settle) throws Exception {
        for (String node : cluster.nodes()) {
            cluster.control("start", node); // a no-op for running nodes; heals an earlier failed run
        }
        cluster.awaitGreen();
        long seed = Long.getLong("proof.seed", ThreadLocalRandom.current().nextLong(1, 1_000_000));
        ConvergenceHarness h = new ConvergenceHarness(seed, KEYS).operate(OPERATIONS);
        String table = TestSinks.freshTable(prefix);
        tableName.accept(table);
        cluster.createReplicatedTables(url, table, SHARDS, REPLICAS);
        cluster.awaitGreen();
        List<String> logs = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env(cluster, url, table, dir)), logs::add)) {
            ConvergenceHarness.Delivery d = ConvergenceHarness.Delivery.hostile();
            h.deliver(relay, h.arrivals(d), d, faults, BATCH_DEADLINE_MILLIS);
        } catch (AssertionError | RuntimeException e) {
            printLogs(logs);
            throw new AssertionError(h.failure("delivery through " + url + " did not finish: " + e.getMessage()), e);
        } finally {
            settle.run();
            cluster.awaitGreen();
        }
        return new Run(h, table, logs, (System.nanoTime() - start) / 1_000_000);
    }

    private static Map<String, String> env(CrateCluster cluster, String url, String table, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("CRATEDB_JDBC_URL", url);
        env.put("CRATEDB_USER", cluster.user());
        if (!cluster.password().isEmpty()) {
            env.put("CRATEDB_PASSWORD", cluster.password());
        }
        env.put("CRATEDB_TABLE", table);
        env.put("RELAY_KEY_SCHEMA", "id:S");
        env.put("RELAY_DEAD_LETTER_DIR", dir.resolve(table).toString());
        return env;
    }

    private static void verifyAndReport(CrateCluster cluster, String url, String name, Run run, Path dir)
            throws Exception {
        ConvergenceHarness h = run.harness();
        String table = run.table();
        Map<String, SinkRow> rows = cluster.rows(url, table);
        List<String> diff = h.differences(rows);
        h.figures().lost = diff.size();
        List<String> lettered = deadLetters(dir.resolve(table));
        String driver = url.startsWith("jdbc:crate:") ? "crate-jdbc" : "pgjdbc";
        CrateCluster.report(name + " " + driver + " seed=" + h.seed(), h.figures() + " rows=" + rows.size()
                + " sourceItems=" + h.truth().size() + " writerRetries=" + run.retries()
                + " deadLettered=" + lettered.size() + " millis=" + run.millis());
        System.out.println("[proof] retry reasons seen: " + run.distinctRetryReasons());
        if (h.lastFunctionError != null) {
            System.out.println("[proof] last function error (Lambda retries the whole batch): " + h.lastFunctionError);
        }
        assertTrue(diff.isEmpty(), h.failure(diff.size() + " item(s) differ from the source:\n  "
                + String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
        assertEquals(h.truth().size(), rows.size(), h.failure("row count differs from the source's item count"));
        assertEquals(List.of(), lettered, h.failure("nothing in this history is poison, yet records were dead-lettered"));
        cluster.dropTables(url, table);
    }

    /**
     * Diagnosis: with {@code -Dproof.cluster.watch=k1,k2} prints, before every batch, the stored
     * version of those keys whenever it changed (a primary-key read on a separate connection).
     */
    private static final class Watch implements ConvergenceHarness.FaultInjector {
        private final CrateCluster cluster;
        private final String url;
        private final AtomicReference<String> table;
        private final List<String> keys = List.of(System.getProperty("proof.cluster.watch", "").split(","))
                .stream().filter(k -> !k.isBlank()).toList();
        private final Map<String, String> last = new HashMap<>();

        Watch(CrateCluster cluster, String url, AtomicReference<String> table) {
            this.cluster = cluster;
            this.url = url;
            this.table = table;
        }

        @Override
        public boolean beforeBatch(java.util.Random random, int batchNumber) {
            for (String key : keys) {
                String now = cluster.storedVersion(url, table.get(), key);
                if (!now.equals(last.put(key, now))) {
                    System.out.println("[watch] before batch " + batchNumber + ": " + key + " " + now);
                }
            }
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> deadLetters(Path dir) throws Exception {
        List<String> reasons = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    var letter = DeadLetterCodec.read(Files.readAllBytes(f));
                    reasons.add(letter.record().sequenceNumber() + ": " + letter.reason());
                }
            }
        }
        return reasons;
    }

    private static void printLogs(List<String> logs) {
        synchronized (logs) {
            logs.subList(Math.max(0, logs.size() - 30), logs.size()).forEach(l -> System.out.println("[relay] " + l));
        }
    }
}
