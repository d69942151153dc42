package dev.cdcrelay.bench;

import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.CrateDbDialect;
import dev.cdcrelay.write.Deadline;
import dev.cdcrelay.write.PostgresDialect;
import dev.cdcrelay.write.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the relay's time goes against the ceiling: the guarantees added one at a time, each rung on
 * its own twin table, all rungs taking turns on the same batch (the stored items written to every
 * table first, untimed). Rungs: (0) the ceiling, one bulk unguarded upsert; (1) the guarded upsert
 * (version condition inside the statement) as one bulk; (2) insert-if-absent as one bulk, then the
 * guarded upsert of the rows that existed; (3) = 2 + the tombstone look-up of every written row
 * (1,000 keys a statement, as the writer does); (4) = 3 in 1,000-row chunks (the writer's
 * rowsPerBatch); (5) Relay.apply, everything (decode, reduce, plan, rowcounts, outcomes). Plus
 * decode+reduce+plan alone. Run: {@code mvn -B -q -pl bench exec:exec@ladder}; system properties
 * {@code bench.ladderSizes} (default 1000,10000).
 */
public final class LadderBenchmark {

    private static final String[] RUNGS = {"0 ceiling: bulk upsert, no guard", "1 guarded upsert, one bulk",
            "2 insert-if-absent + guarded upsert", "3 = 2 + tombstone look-up", "4 = 3 in 1,000-row chunks",
            "5 Relay.apply (all)", "  decode+reduce+plan alone"};

    private LadderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> sinks = new ArrayList<>();
        if (TestSinks.cratedbUrl() != null) {
            sinks.add(TestSinks.cratedbUrl());
        }
        sinks.add(TestSinks.postgresUrl());
        int[] sizes = Arrays.stream(System.getProperty("bench.ladderSizes", "1000,10000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        for (String url : sinks) {
            run(url, url.equals(TestSinks.postgresUrl()) ? "postgresql" : "cratedb", sizes);
        }
        System.exit(0);
    }

    private static void run(String url, String sinkName, int[] sizes) throws Exception {
        boolean crate = !url.equals(TestSinks.postgresUrl());
        System.out.println();
        System.out.println("== Where the time goes, " + sinkName + ": guarantees added one at a time (median ms per batch,"
                + " and x the ceiling's time; turns interleaved)");
        CeilingBenchmark.Workload[] workloads = {CeilingBenchmark.Workload.INSERT_ONLY,
                CeilingBenchmark.Workload.HALF_MODIFY, CeilingBenchmark.Workload.MODIFY_ONLY};
        int total = 0;
        for (int n : sizes) {
            total += workloads.length * turns(n);
        }
        Progress progress = new Progress("ladder, " + sinkName, total);
        String relayTable = TestSinks.freshTable("perf-ladder-relay");
        List<Ceiling> rungs = new ArrayList<>();
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(TestSinks.env(url, relayTable)), m -> { })) {
            for (int i = 0; i < 5; i++) {
                rungs.add(new Ceiling(TestSinks.connect(url), crate ? new CrateDbDialect() : new PostgresDialect(), crate,
                        TableName.parse(TestSinks.freshTable("perf-ladder-" + i), "table")));
            }
            for (int w = 0; w < 3; w++) {
                turn(CeilingBenchmark.Workload.HALF_MODIFY, "lwarm" + w, 1000, relay, rungs);
            }
            for (CeilingBenchmark.Workload workload : workloads) {
                for (int n : sizes) {
                    long[][] nanos = new long[RUNGS.length][turns(n)];
                    for (int t = 0; t < turns(n); t++) {
                        long[] one = turn(workload, "l" + workload.ordinal() + "-" + n + "-" + t, n, relay, rungs);
                        for (int r = 0; r < RUNGS.length; r++) {
                            nanos[r][t] = one[r];
                        }
                        progress.step(workload.label + ", batch " + n);
                    }
                    print(workload, n, nanos);
                }
            }
        } finally {
            for (Ceiling c : rungs) {
                c.drop();
                c.connection().close();
            }
            TestSinks.dropTables(url, relayTable);
        }
    }

    private static int turns(int n) {
        return n <= 1000 ? 7 : 3;
    }

    private static void print(CeilingBenchmark.Workload workload, int n, long[][] nanos) {
        double base = Medians.of(nanos[0]);
        System.out.printf(Locale.ROOT, "%s, batch %,d (%d turns):%n", workload.label, n, nanos[0].length);
        for (int r = 0; r < RUNGS.length; r++) {
            double med = Medians.of(nanos[r]);
            long[] sorted = nanos[r].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-40s %9.1f ms (%.1f-%.1f) %6.2fx  %,9.0f rec/s%n", RUNGS[r], med / 1e6,
                    sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, med / base, n * 1e9 / med);
        }
        System.out.flush();
    }

    /** One turn: stored items into every table, then each rung once on the same batch. */
    private static long[] turn(CeilingBenchmark.Workload w, String run, int n, Relay relay, List<Ceiling> rungs)
            throws Exception {
        Random rnd = new Random(run.hashCode());
        if (w != CeilingBenchmark.Workload.INSERT_ONLY) {
            List<IncomingRecord> stored = CeilingBenchmark.stored(run, n, rnd);
            CeilingBenchmark.check(relay.apply(stored, Deadline.none()));
            for (Ceiling c : rungs) {
                c.write(c.plan(stored));
            }
        }
        List<IncomingRecord> batch = CeilingBenchmark.batch(w, run, n, rnd);
        long[] out = new long[RUNGS.length];
        long t0 = System.nanoTime();
        Ceiling.Rows rows = rungs.get(0).plan(batch);
        out[6] = System.nanoTime() - t0;
        for (int r = 1; r < 5; r++) {
            rungs.get(r).plan(batch); // creates the table on first use
        }
        int first = Math.floorMod(run.hashCode(), 6);
        for (int k = 0; k < 6; k++) {
            int r = (first + k) % 6;
            long s = System.nanoTime();
            switch (r) {
                case 0 -> rungs.get(0).write(rows);
                case 1 -> bulk(rungs.get(1), guardedSql(rungs.get(1)), rows.upserts());
                case 2 -> insertThenGuarded(rungs.get(2), rows.upserts(), false);
                case 3 -> insertThenGuarded(rungs.get(3), rows.upserts(), true);
                case 4 -> {
                    for (int from = 0; from < rows.upserts().size(); from += 1000) {
                        insertThenGuarded(rungs.get(4), rows.upserts().subList(from,
                                Math.min(rows.upserts().size(), from + 1000)), true);
                    }
                }
                default -> CeilingBenchmark.check(relay.apply(batch, Deadline.none()));
            }
            out[r] = System.nanoTime() - s;
        }
        return out;
    }

    private static String guardedSql(Ceiling c) {
        return c.dialect().upsertSql(c.table(), c.keys());
    }

    private static void insertThenGuarded(Ceiling c, List<PlannedRow.Upsert> rows, boolean tombstones)
            throws SQLException {
        int[] inserted = bulk(c, c.dialect().insertIfAbsentSql(c.table(), c.keys()), rows);
        List<PlannedRow.Upsert> existing = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (inserted[i] != 1) {
                existing.add(rows.get(i));
            }
        }
        if (!existing.isEmpty()) {
            bulk(c, guardedSql(c), existing);
        }
        if (tombstones) {
            for (int from = 0; from < rows.size(); from += 1000) {
                List<String> keys = new ArrayList<>();
                for (PlannedRow.Upsert u : rows.subList(from, Math.min(rows.size(), from + 1000))) {
                    keys.add(u.key().canonical());
                }
                try (PreparedStatement ps = c.dialect().prepareTombstoneLookup(c.connection(), c.tombstones(), keys);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
        }
    }

    private static int[] bulk(Ceiling c, String sql, List<PlannedRow.Upsert> rows) throws SQLException {
        try (PreparedStatement ps = c.connection().prepareStatement(sql)) {
            for (PlannedRow.Upsert u : rows) {
                c.dialect().bindUpsert(ps, u);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }
}
