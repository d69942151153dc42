package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Applies the newest change of each item to the sink in as few statements as the rows allow:
 * {@link DeleteApplier} for REMOVEs, then {@link UpsertApplier} for the rest, retried with backoff
 * within the invocation's deadline while failures are transient.
 *
 * <p>Order safety without transactions, also against other writers running at the same time:
 * every stored row carries the version of the change it holds, and every guard is part of the
 * statement that writes (the version condition inside the conflict action of an upsert; a delete
 * that names the version or, on CrateDB, the exact row state it read). A REMOVE records a
 * tombstone first; every written row is checked against the tombstones after it is written. All
 * reads are by primary key, which CrateDB answers in real time. docs/proof.md gives the argument.
 */
public final class SinkWriter implements AutoCloseable {

    /** Tuning of the writer; defaults suit Lambda. */
    public record Settings(int rowsPerBatch, int maxAttempts, long retryBaseMillis, long retryMaxMillis,
                           long deadlineReserveMillis, boolean createTables, Duration tombstoneRetention) {
        public static Settings defaults() {
            return new Settings(1000, 5, 100, 2000, 1500, true, Duration.ofDays(8));
        }
    }

    private static final long PURGE_EVERY_NANOS = Duration.ofHours(1).toNanos();

    private final SinkConnection connection;
    private final TableName table;
    private final TableName tombstones;
    private final DeclaredTypes declared;
    private final Settings settings;
    private final Consumer<String> log;

    private SinkDialect dialect;
    private KeySchema keySchema;
    private RowPlanner planner;
    private ColumnKinds kinds = new ColumnKinds();
    private boolean tablesReady;
    private long lastPurgeNanos = System.nanoTime() - PURGE_EVERY_NANOS;

    public SinkWriter(SinkConnection connection, SinkDialect dialect, TableName table, TableName tombstones,
                      KeySchema keySchema, DeclaredTypes declared, Settings settings, Consumer<String> log) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.tombstones = tombstones;
        this.keySchema = keySchema;
        this.declared = declared;
        this.settings = settings;
        this.log = log;
    }

    /** The dialect in use, once known (it may be detected on first connect). */
    public SinkDialect dialect() {
        return dialect;
    }

    public KeySchema keySchema() {
        return keySchema;
    }

    /**
     * Connects, picks the dialect and creates the tables when the key schema is known. Failure is
     * not fatal at start-up: the first write tries again.
     */
    public synchronized void warmUp() throws SQLException {
        Connection c = connection.get();
        if (dialect == null) {
            dialect = SinkDialect.detect(connection.describe(), c);
        }
        if (keySchema != null) {
            prepareTables(c);
        }
    }

    /** Writes the given changes (at most one per item) and says what became of each item. */
    public synchronized WriteResult write(Collection<ChangeRecord> newestPerItem, Deadline deadline) {
        WriteResult.Counters counters = new WriteResult.Counters();
        Map<ItemKey, WriteResult.Outcome> outcomes = new LinkedHashMap<>();
        Map<ItemKey, ChangeRecord> pending = new LinkedHashMap<>();
        for (ChangeRecord c : newestPerItem) {
            pending.put(c.itemKey(), c);
        }
        Map<ItemKey, WriteResult.Outcome> lastTransient = new HashMap<>();
        int attempt = 0;
        while (!pending.isEmpty()) {
            attempt++;
            counters.attempts = attempt;
            Map<ItemKey, WriteResult.Outcome> round = attemptOnce(pending.values(), deadline, counters);
            for (Map.Entry<ItemKey, WriteResult.Outcome> e : round.entrySet()) {
                if (e.getValue() instanceof WriteResult.Outcome.Failed f && f.transientFailure()) {
                    lastTransient.put(e.getKey(), f);
                } else {
                    outcomes.put(e.getKey(), e.getValue());
                    pending.remove(e.getKey());
                }
            }
            if (pending.isEmpty() || attempt >= settings.maxAttempts()) {
                break;
            }
            long backoff = Math.min(settings.retryMaxMillis(), settings.retryBaseMillis() << Math.min(20, attempt - 1));
            backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            if (deadline.remainingMillis() - backoff < settings.deadlineReserveMillis()) {
                break;
            }
            log.accept("retrying " + pending.size() + " item(s) in " + backoff + " ms after: "
                    + ((WriteResult.Outcome.Failed) lastTransient.get(pending.keySet().iterator().next())).reason());
            sleep(backoff);
        }
        for (ItemKey k : pending.keySet()) {
            outcomes.put(k, lastTransient.getOrDefault(k, new WriteResult.Outcome.Failed("not attempted", true)));
        }
        purgeTombstonesIfDue();
        return new WriteResult(outcomes, counters);
    }

    private Map<ItemKey, WriteResult.Outcome> attemptOnce(Collection<ChangeRecord> changes, Deadline deadline,
                                                          WriteResult.Counters counters) {
        Map<ItemKey, WriteResult.Outcome> out = new LinkedHashMap<>();
        long budget = deadline.remainingMillis() - settings.deadlineReserveMillis();
        if (budget <= 0) {
            changes.forEach(c -> out.put(c.itemKey(), new WriteResult.Outcome.Failed(
                    "no time left in this invocation", true)));
            return out;
        }
        Connection c;
        try {
            c = connection.get();
            if (dialect == null) {
                dialect = SinkDialect.detect(connection.describe(), c);
            }
            if (keySchema == null) {
                keySchema = KeySchema.inferFrom(changes.iterator().next().keys());
                log.accept("key schema inferred from the records: " + keySchema.names());
            }
            prepareTables(c);
            connection.limitNetworkWait(budget);
        } catch (SQLException e) {
            connection.discard();
            String reason = "sink not ready: " + SqlErrors.describe(e);
            changes.forEach(ch -> out.put(ch.itemKey(), new WriteResult.Outcome.Failed(reason, true)));
            return out;
        }
        int timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / 1000));

        List<PlannedRow.Upsert> upserts = new ArrayList<>();
        List<PlannedRow.Delete> deletes = new ArrayList<>();
        int kindsKnown = kinds.size(); // planning records the sub-columns it meets first
        for (ChangeRecord change : changes) {
            try {
                PlannedRow row = planner.plan(change, kinds);
                if (row instanceof PlannedRow.Upsert u) {
                    upserts.add(u);
                } else {
                    deletes.add((PlannedRow.Delete) row);
                }
            } catch (IllegalArgumentException e) {
                out.put(change.itemKey(), new WriteResult.Outcome.Failed(e.getMessage(), false));
            }
        }
        apply(new Attempt(c, out, counters, timeoutSeconds), deletes, upserts, kinds.size() > kindsKnown, changes);
        return out;
    }

    /** Deletes first, then upserts; a statement-level failure leaves every undecided item to a retry. */
    private void apply(Attempt attempt, List<PlannedRow.Delete> deletes, List<PlannedRow.Upsert> upserts,
                       boolean plannedNewColumns, Collection<ChangeRecord> changes) {
        WriteResult.Counters counters = attempt.counters();
        // Rows in key order: PostgreSQL runs a batch as one transaction, and writers that lock the
        // same rows in the same order cannot deadlock each other (upserts: within each chunk, so
        // that chunks still go in batch order and a cut leaves a stored prefix of the batch).
        deletes.sort(Comparator.comparing(row -> row.key().canonical()));
        SinkTables tables = new SinkTables(dialect, table, tombstones, keySchema);
        int conflictsBefore = counters.conflictsRetried;
        try {
            new DeleteApplier(tables, attempt).apply(deletes);
            UpsertApplier upsertApplier = new UpsertApplier(tables, attempt, planner, kinds, plannedNewColumns,
                    settings.rowsPerBatch(), log);
            try {
                upsertApplier.apply(upserts);
            } finally {
                kinds = upsertApplier.kinds();
            }
        } catch (SQLException e) {
            // A statement-level failure says nothing about any one row: retry, never dead-letter.
            connection.discard();
            String reason = SqlErrors.describe(e);
            for (ChangeRecord change : changes) {
                attempt.outcomes().putIfAbsent(change.itemKey(), new WriteResult.Outcome.Failed(reason, true));
            }
        }
        if (counters.conflictsRetried > conflictsBefore) {
            log.accept((counters.conflictsRetried - conflictsBefore) + " conflicting change(s) re-read: another"
                    + " writer changed the same rows meanwhile");
        }
    }

    private void prepareTables(Connection c) throws SQLException {
        if (planner == null) {
            planner = new RowPlanner(keySchema, declared, dialect.documentMode());
        }
        if (tablesReady) {
            return;
        }
        if (settings.createTables()) {
            try (Statement st = c.createStatement()) {
                for (String ddl : dialect.createTables(table, tombstones, keySchema, declared)) {
                    st.execute(ddl);
                }
            }
        }
        kinds = dialect.loadColumnKinds(c, table);
        tablesReady = true;
    }

    private void purgeTombstonesIfDue() {
        if (!tablesReady || System.nanoTime() - lastPurgeNanos < PURGE_EVERY_NANOS) {
            return;
        }
        lastPurgeNanos = System.nanoTime();
        try (PreparedStatement ps = connection.get().prepareStatement(dialect.tombstonePurgeSql(tombstones))) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(settings.tombstoneRetention())));
            ps.executeUpdate();
        } catch (SQLException e) {
            log.accept("tombstone purge skipped: " + SqlErrors.describe(e));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
