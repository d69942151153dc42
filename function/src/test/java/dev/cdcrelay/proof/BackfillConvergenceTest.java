package dev.cdcrelay.proof;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.InvalidSnapshotItemException;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.SnapshotRecords;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backfill merged with the stream converges: a source table runs a random history; its streaming
 * destination is enabled part-way (earlier changes are in no stream); a snapshot is taken later
 * still (the items as of time T) while changes go on. The relay then gets the stream from the
 * enable point (with duplicates, reordering and re-deliveries, as {@link ConvergenceHarness}
 * delivers) with the snapshot's items mixed in at random places, some of them twice (a loader
 * that re-ran a file). The sink must equal the source, key by key.
 *
 * <p>The margin is chosen so that stream changes fall on both sides of the snapshot's version:
 * changes older than it (already in the snapshot) must lose to it, newer ones must win. Two
 * controls show the proof can fail: a stream enabled after the version, and a snapshot versioned
 * after its own time, both lose changes.
 */
class BackfillConvergenceTest {

    static {
        ProofJvm.driverAssertionsOff();
    }

    /**
     * A small key space puts many versions of each item on both sides of the snapshot; a larger one
     * leaves items that no streamed change touches, which only the snapshot can bring.
     */
    private static final List<Integer> KEY_SPACES = List.of(25, 400);
    private static final int BEFORE_STREAM = 300;
    private static final int BEFORE_SNAPSHOT = 300;
    private static final int AFTER_SNAPSHOT = 400;

    /** One scenario: the history, where the stream starts, and where the snapshot is taken. */
    private record Scenario(ConvergenceHarness harness, int streamStart, Map<String, Map<String, Object>> snapshot,
                            long snapshotMicros, long streamStartMicros) {
    }

    private static Scenario history(long seed, int keySpace) {
        ConvergenceHarness h = new ConvergenceHarness(seed, keySpace).operate(BEFORE_STREAM);
        int streamStart = h.stream().size();
        h.operate(BEFORE_SNAPSHOT);
        long snapshotMicros = h.stream().get(h.stream().size() - 1).micros();
        Map<String, Map<String, Object>> snapshot = new TreeMap<>(h.truth()); // images are replaced, never mutated
        h.operate(AFTER_SNAPSHOT);
        return new Scenario(h, streamStart, snapshot, snapshotMicros, h.stream().get(streamStart).micros());
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** The snapshot's items as backfill records, at the given point. */
    private static List<IncomingRecord> snapshotRecords(Map<String, Map<String, Object>> snapshot, SnapshotPoint point)
            throws InvalidSnapshotItemException {
        SnapshotRecords records = new SnapshotRecords(List.of(ConvergenceHarness.KEY), point);
        List<IncomingRecord> out = new ArrayList<>();
        long line = 0;
        for (Map.Entry<String, Map<String, Object>> e : snapshot.entrySet()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(ConvergenceHarness.KEY, e.getKey());
            item.putAll(e.getValue());
            byte[] json = ("{\"Item\":" + DynamoJson.item(item) + "}").getBytes(StandardCharsets.UTF_8);
            out.add(records.toRecord(json, SnapshotPoint.sequenceNumber(0, ++line)));
        }
        return out;
    }

    /**
     * The shard's arrivals from the stream's start on, with the snapshot's records mixed in at random
     * places and about one in five of them twice.
     */
    private static List<IncomingRecord> arrivals(Scenario s, ConvergenceHarness.Delivery d, List<IncomingRecord> snapshot,
                                                 Random random) {
        Set<IncomingRecord> streamed = Collections.newSetFromMap(new IdentityHashMap<>());
        s.harness().stream().subList(s.streamStart(), s.harness().stream().size()).forEach(c -> streamed.add(c.record()));
        List<IncomingRecord> out = new ArrayList<>(s.harness().arrivals(d).stream().filter(streamed::contains).toList());
        for (IncomingRecord r : snapshot) {
            out.add(random.nextInt(out.size() + 1), r);
            if (random.nextInt(5) == 0) {
                out.add(random.nextInt(out.size() + 1), r);
            }
        }
        return out;
    }

    /** Delivers and returns the differences between the source and the sink. */
    private static List<String> run(Scenario s, SnapshotPoint point, String url, boolean crate, Path deadLetters,
                                    long seed) throws Exception {
        ConvergenceHarness h = s.harness();
        String table = TestSinks.freshTable("proof-backfill");
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.put("RELAY_DEAD_LETTER_DIR", deadLetters.toString());
        ConvergenceHarness.Delivery d = ConvergenceHarness.Delivery.hostile();
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env), line -> { })) {
            h.deliver(relay, arrivals(s, d, snapshotRecords(s.snapshot(), point), new Random(seed)), d, null, 60_000);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(h.failure(e.getMessage()), e);
        }
        List<String> diff = h.differences(ConvergenceHarness.rows(url, table, crate));
        if (crate) {
            TestSinks.dropTables(url, table);
        }
        ConvergenceTest.assertDirectoryEmpty(deadLetters, h);
        return diff;
    }

    /**
     * As in production: the backfill command runs on its own connection while the function keeps
     * applying the stream. The stream (hostile delivery) goes through one relay on this thread, the
     * snapshot's items (in batches, a few twice) through a second relay on another thread.
     */
    private static List<String> runConcurrently(Scenario s, SnapshotPoint point, String url, boolean crate, long seed)
            throws Exception {
        ConvergenceHarness h = s.harness();
        String table = TestSinks.freshTable("proof-backfill-concurrent");
        Map<String, String> env = TestSinks.env(url, table);
        List<IncomingRecord> snapshot = new ArrayList<>(snapshotRecords(s.snapshot(), point));
        Random random = new Random(seed);
        for (int i = 0, n = snapshot.size(); i < n; i += 5) {
            snapshot.add(snapshot.get(random.nextInt(n)));
        }
        Collections.shuffle(snapshot, random);
        ConvergenceHarness.Delivery d = ConvergenceHarness.Delivery.hostile();
        Set<IncomingRecord> streamed = Collections.newSetFromMap(new IdentityHashMap<>());
        h.stream().subList(s.streamStart(), h.stream().size()).forEach(c -> streamed.add(c.record()));
        List<IncomingRecord> stream = h.arrivals(d).stream().filter(streamed::contains).toList();
        try (Relay streamRelay = Relay.fromConfig(RelayConfig.fromEnvironment(env), line -> { });
             Relay backfillRelay = Relay.fromConfig(RelayConfig.fromEnvironment(env), line -> { })) {
            Thread loader = new Thread(() -> {
                for (int from = 0; from < snapshot.size(); from += 7) {
                    List<IncomingRecord> batch = snapshot.subList(from, Math.min(snapshot.size(), from + 7));
                    for (int attempt = 0; !backfillRelay.apply(batch, Deadline.inMillis(60_000)).fullyHandled(); attempt++) {
                        if (attempt > 20) {
                            throw new IllegalStateException("the backfill batch never went in");
                        }
                    }
                }
            }, "backfill-loader");
            AtomicReference<Throwable> loaderFailure = new AtomicReference<>();
            loader.setUncaughtExceptionHandler((t, e) -> loaderFailure.set(e));
            loader.start();
            h.deliver(streamRelay, stream, d, null, 60_000);
            loader.join();
            if (loaderFailure.get() != null) {
                throw new AssertionError(h.failure("the loader failed: " + loaderFailure.get()), loaderFailure.get());
            }
        }
        List<String> diff = h.differences(ConvergenceHarness.rows(url, table, crate));
        if (crate) {
            TestSinks.dropTables(url, table);
        }
        return diff;
    }

    @Test
    void postgresConvergesWhileTheBackfillRunsBesideTheStream() throws Exception {
        concurrently(TestSinks.postgresUrl(), false, "backfill-concurrent/postgres");
    }

    @Test
    void crateDbConvergesWhileTheBackfillRunsBesideTheStream() throws Exception {
        ConvergenceTest.assumeCrateDb();
        concurrently(TestSinks.cratedbUrl(), true, "backfill-concurrent/cratedb");
    }

    private static void concurrently(String url, boolean crate, String name) throws Exception {
        for (long seed : ConvergenceTest.seeds()) {
            for (int keySpace : KEY_SPACES) {
                Scenario s = history(seed, keySpace);
                List<String> diff = runConcurrently(s, point(s), url, crate, seed);
                ProofFigures.report(name + " seed=" + seed + " keys=" + keySpace, "snapshotItems=" + s.snapshot().size()
                        + " lost=" + diff.size());
                assertTrue(diff.isEmpty(), s.harness().failure(diff.size() + " item(s) differ from the source:\n  "
                        + String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
            }
        }
    }

    /** Half-way between the stream's start and the snapshot: stream changes on both sides of the version. */
    private static SnapshotPoint point(Scenario s) {
        long marginMicros = (s.snapshotMicros() - s.streamStartMicros()) / 2;
        return new SnapshotPoint(instant(s.snapshotMicros()), Duration.of(marginMicros, ChronoUnit.MICROS));
    }

    private static void converge(String name, String url, boolean crate, long seed, int keySpace, Path dir)
            throws Exception {
        Scenario s = history(seed, keySpace);
        SnapshotPoint point = point(s);
        point.requireStreamCovers(instant(s.streamStartMicros()));
        long v = point.versionMicros();
        List<ConvergenceHarness.Change> streamed = s.harness().stream().subList(s.streamStart(), s.harness().stream().size());
        long olderThanVersion = streamed.stream().filter(c -> c.micros() < v).count();
        long inSnapshotWindow = streamed.stream().filter(c -> c.micros() >= v && c.micros() <= s.snapshotMicros()).count();
        long onlyInSnapshot = s.snapshot().keySet().stream()
                .filter(k -> streamed.stream().noneMatch(c -> c.key().equals(k))).count();
        assertTrue(olderThanVersion > 0 && inSnapshotWindow > 0, "the scenario must put stream changes on both sides");
        assertTrue(keySpace < 100 || onlyInSnapshot > 0, "a sparse history must leave items only the snapshot has");

        List<String> diff = run(s, point, url, crate, dir.resolve("dl-" + seed + "-" + keySpace), seed);
        s.harness().figures().lost = diff.size();
        ProofFigures.report(name + " seed=" + seed + " keys=" + keySpace, s.harness().figures() + " snapshotItems=" + s.snapshot().size()
                + " itemsOnlyInSnapshot=" + onlyInSnapshot + " streamedChanges=" + streamed.size()
                + " olderThanSnapshotVersion=" + olderThanVersion + " betweenVersionAndSnapshot=" + inSnapshotWindow);
        assertTrue(diff.isEmpty(), s.harness().failure(diff.size() + " item(s) differ from the source:\n  "
                + String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
    }

    @Test
    void postgresConvergesWithAMidStreamSnapshot(@TempDir Path dir) throws Exception {
        for (long seed : ConvergenceTest.seeds()) {
            for (int keySpace : KEY_SPACES) {
                converge("backfill-convergence/postgres", TestSinks.postgresUrl(), false, seed, keySpace, dir);
            }
        }
    }

    @Test
    void crateDbConvergesWithAMidStreamSnapshot(@TempDir Path dir) throws Exception {
        ConvergenceTest.assumeCrateDb();
        for (long seed : ConvergenceTest.seeds()) {
            for (int keySpace : KEY_SPACES) {
                converge("backfill-convergence/cratedb", TestSinks.cratedbUrl(), true, seed, keySpace, dir);
            }
        }
    }

    /**
     * The check asks only that the stream started by the snapshot's time, not by its version: a
     * stream that starts between the two also converges (changes before its start are in the
     * snapshot; every later one is streamed).
     */
    @Test
    void postgresConvergesWhenTheStreamStartsBetweenTheVersionAndTheSnapshot(@TempDir Path dir) throws Exception {
        for (long seed : ConvergenceTest.seeds()) {
            Scenario s = history(seed, KEY_SPACES.get(0));
            SnapshotPoint point = point(s);
            int start = s.streamStart();
            while (s.harness().stream().get(start).micros() <= point.versionMicros()) {
                start++;
            }
            start += 20; // some changes between the version and the stream's start are streamed by nobody
            Scenario late = new Scenario(s.harness(), start, s.snapshot(), s.snapshotMicros(),
                    s.harness().stream().get(start).micros());
            assertTrue(late.streamStartMicros() < s.snapshotMicros());
            point.requireStreamCovers(instant(late.streamStartMicros()));
            List<String> diff = run(late, point, TestSinks.postgresUrl(), false, dir.resolve("dl-late-" + seed), seed);
            assertTrue(diff.isEmpty(), s.harness().failure(String.join("\n  ", diff.subList(0, Math.min(20, diff.size())))));
        }
    }

    /** Control: a stream enabled after the snapshot misses changes made in between; the check refuses it. */
    @Test
    void aStreamThatStartsAfterTheSnapshotLosesChangesAndIsRefused(@TempDir Path dir) throws Exception {
        Scenario s = history(33, KEY_SPACES.get(0));
        int lateStart = s.harness().stream().size() - 10; // only the last ten changes are streamed
        Scenario late = new Scenario(s.harness(), lateStart, s.snapshot(), s.snapshotMicros(),
                s.harness().stream().get(lateStart).micros());
        SnapshotPoint point = point(s);
        assertThrows(BackfillRefusedException.class, () -> point.requireStreamCovers(instant(late.streamStartMicros())));
        List<String> diff = run(late, point, TestSinks.postgresUrl(), false, dir.resolve("dl"), 33);
        assertFalse(diff.isEmpty(), "changes between the snapshot and the stream's start are in neither: items must differ");
    }

    /** Control: a snapshot versioned after its own time overwrites newer stream changes. */
    @Test
    void aSnapshotVersionedAfterItsTimeLosesChanges(@TempDir Path dir) throws Exception {
        Scenario s = history(44, KEY_SPACES.get(0));
        long afterEverything = s.harness().stream().get(s.harness().stream().size() - 1).micros() + 1;
        SnapshotPoint wrong = new SnapshotPoint(instant(afterEverything), Duration.ZERO);
        List<String> diff = run(s, wrong, TestSinks.postgresUrl(), false, dir.resolve("dl"), 44);
        assertFalse(diff.isEmpty(), "a snapshot that wins over later changes must leave stale items");
    }
}
