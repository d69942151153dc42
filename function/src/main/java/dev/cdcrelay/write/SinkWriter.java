package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;
import dev.cdcrelay.settings.RelaySettings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
public final class SinkWriter implements ChangeWriter {

    /** Tuning of the writer; defaults suit Lambda. */
    public record Settings(int rowsPerBatch, int maxAttempts, long retryBaseMillis, long retryMaxMillis,
                           long deadlineReserveMillis, boolean createTables, Duration tombstoneRetention) {
        /** The defaults of the RELAY_* variables (defined once, in the settings module). */
        public static Settings defaults() {
            return of(RelaySettings.Writer.defaults());
        }

        public static Settings of(RelaySettings.Writer writer) {
            return new Settings(writer.rowsPerBatch(), writer.maxAttempts(), writer.retryBaseMillis(),
                    writer.retryMaxMillis(), writer.deadlineReserveMillis(), writer.createTables(),
                    Duration.ofHours(writer.tombstoneRetentionHours()));
        }
    }

    private static final long PURGE_EVERY_NANOS = Duration.ofHours(1).toNanos();

    private final SinkConnection connection;
    private final TableName table;
    private final TableName tombstones;
    private final Settings settings;
    private final Consumer<String> log;

    private final SinkSession session;
    // The current attempt's view of the session (SinkSession.Ready), never null once an attempt started.
    private SinkDialect dialect;
    private KeySchema keySchema;
    private RowPlanner planner;
    private ColumnKinds kinds = new ColumnKinds();
    private long lastPurgeNanos = System.nanoTime() - PURGE_EVERY_NANOS;

    /**
     * @param dialect    the sink's dialect, or null to detect it from the server on first connect
     * @param keySchema  the source table's key, or null to infer it from the first records
     */
    public SinkWriter(SinkConnection connection, SinkDialect dialect, TableName table, TableName tombstones,
                      KeySchema keySchema, DeclaredTypes declared, Settings settings, Consumer<String> log) {
        this.connection = connection;
        this.table = table;
        this.tombstones = tombstones;
        this.settings = settings;
        this.log = log;
        this.session = new SinkSession(connection, Optional.ofNullable(dialect), table, tombstones,
                Optional.ofNullable(keySchema), declared, settings.createTables()
                ? SinkSession.TablePolicy.CREATE_AND_ADOPT : SinkSession.TablePolicy.USE_AS_IS, log);
    }

    @Override
    public Optional<SinkDialect> dialect() {
        return session.dialect();
    }

    @Override
    public TableName table() {
        return table;
    }

    /** Whether this writer has found or created the sink's tables (and so knows the key schema). */
    public boolean tablesReady() {
        return session.tablesReady();
    }

    /**
     * Connects, picks the dialect and prepares the tables when the key schema is known. Failure is
     * not fatal at start-up: the first write tries again.
     */
    public void warmUp() throws SQLException {
        session.warmUp();
    }

    @Override
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
        int timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / 1000));
        Connection c;
        try {
            SinkSession.Ready ready = session.ready(changes, timeoutSeconds);
            c = ready.connection();
            dialect = ready.dialect();
            keySchema = ready.keySchema();
            planner = ready.planner();
            kinds = ready.kinds();
            connection.limitNetworkWait(budget);
        } catch (SinkFaultException e) {
            return sinkFaulted(changes, out, Set.of(), e.fault());
        } catch (SQLException e) {
            connection.discard();
            if (SqlErrors.isSinkWide(e)) {
                return sinkFaulted(changes, out, Set.of(), session.explain(e));
            }
            String reason = "sink not ready: " + SqlErrors.describe(e);
            changes.forEach(ch -> out.put(ch.itemKey(), new WriteResult.Outcome.Failed(reason, true)));
            return out;
        }

        List<PlannedRow.Upsert> upserts = new ArrayList<>();
        List<PlannedRow.Delete> deletes = new ArrayList<>();
        Set<ItemKey> unplannable = new HashSet<>();
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
                unplannable.add(change.itemKey());
            }
        }
        Optional<SinkFault> fault = apply(new Attempt(c, out, counters, timeoutSeconds), deletes, upserts,
                kinds.size() > kindsKnown, changes);
        if (fault.isPresent()) {
            return sinkFaulted(changes, out, unplannable, fault.get());
        }
        session.kindsChanged(kinds); // isolating rows may have reloaded them: keep them for the next batch
        return SameErrorForEveryRow.of(out, unplannable)
                .map(shared -> sinkFaulted(changes, out, unplannable,
                        session.explainSameError(shared.reason(), shared.rows())))
                .orElse(out);
    }

    /**
     * Every change not yet stored gets the sink's fault, including rows an earlier statement of
     * this attempt judged alone: with the sink at fault, no row's failure is its own. Only changes
     * the planner refused keep their verdict.
     */
    private Map<ItemKey, WriteResult.Outcome> sinkFaulted(Collection<ChangeRecord> changes,
                                                          Map<ItemKey, WriteResult.Outcome> out,
                                                          Set<ItemKey> unplannable, SinkFault fault) {
        log.accept(fault.message());
        for (ChangeRecord change : changes) {
            ItemKey k = change.itemKey();
            if (!(out.get(k) instanceof WriteResult.Outcome.Applied) && !unplannable.contains(k)) {
                out.put(k, new WriteResult.Outcome.SinkFaulted(fault));
            }
        }
        return out;
    }

    /**
     * Deletes first, then upserts; a statement-level failure leaves every undecided item to a retry,
     * except a failure of the sink itself (blocked, missing, other layout, no privilege), which is returned.
     */
    private Optional<SinkFault> apply(Attempt attempt, List<PlannedRow.Delete> deletes, List<PlannedRow.Upsert> upserts,
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
                    session.subColumns(), settings.rowsPerBatch(), log);
            try {
                upsertApplier.apply(upserts);
            } finally {
                kinds = upsertApplier.kinds();
            }
        } catch (SQLException e) {
            connection.discard();
            if (SqlErrors.isSinkWide(e)) {
                return Optional.of(session.explain(e));
            }
            // A statement-level failure says nothing about any one row: retry, never dead-letter.
            String reason = SqlErrors.describe(e);
            for (ChangeRecord change : changes) {
                attempt.outcomes().putIfAbsent(change.itemKey(), new WriteResult.Outcome.Failed(reason, true));
            }
        }
        if (counters.conflictsRetried > conflictsBefore) {
            log.accept((counters.conflictsRetried - conflictsBefore) + " conflicting change(s) re-read: another"
                    + " writer changed the same rows meanwhile");
        }
        return Optional.empty();
    }

    private void purgeTombstonesIfDue() {
        Optional<SinkDialect> known = session.dialect();
        if (known.isEmpty() || !session.tablesReady() || System.nanoTime() - lastPurgeNanos < PURGE_EVERY_NANOS) {
            return;
        }
        lastPurgeNanos = System.nanoTime();
        try (PreparedStatement ps = connection.get().prepareStatement(known.get().tombstonePurgeSql(tombstones))) {
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
