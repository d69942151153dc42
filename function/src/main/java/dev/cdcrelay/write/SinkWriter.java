package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;
import dev.cdcrelay.settings.RelaySettings;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * Applies the newest change of each item to the sink in as few statements as the rows allow.
 *
 * <p>Order safety without transactions: every stored row carries the version of the change it
 * holds; an upsert replaces it only when not older (a CASE in the conflict action); a delete
 * first records a tombstone, then removes the row only when the stored version is not newer; an
 * upsert older than the item's tombstone is dropped. All reads are by primary key, which CrateDB
 * answers in real time.
 *
 * <p>Nothing counts as stored unless the database said so: every rowcount is checked, and a row
 * that did not come back as 1 is retried alone, re-planned against the sink's current column
 * types, then with the whole image in {@code aux}. Only then is it a failure of that record.
 */
public final class SinkWriter implements AutoCloseable {

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

    /** Tombstone keys per lookup (a literal IN list on CrateDB, bound parameters on PostgreSQL). */
    private static final int LOOKUP_CHUNK = 1000;
    private static final long PURGE_EVERY_NANOS = Duration.ofHours(1).toNanos();

    private final SinkConnection connection;
    private final TableName table;
    private final TableName tombstones;
    private final DeclaredTypes declared;
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
        this.declared = declared;
        this.settings = settings;
        this.log = log;
        this.session = new SinkSession(connection, Optional.ofNullable(dialect), table, tombstones,
                Optional.ofNullable(keySchema), declared, settings.createTables()
                ? SinkSession.TablePolicy.CREATE_AND_ADOPT : SinkSession.TablePolicy.USE_AS_IS, log);
    }

    /** The dialect in use, once known (it is detected on first connect). */
    public Optional<SinkDialect> dialect() {
        return session.dialect();
    }

    /** The sink table (the metrics' table dimension). */
    public TableName table() {
        return table;
    }

    /**
     * Connects, picks the dialect and prepares the tables when the key schema is known. Failure is
     * not fatal at start-up: the first write tries again.
     */
    public void warmUp() throws SQLException {
        session.warmUp();
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
        try {
            applyDeletes(c, deletes, out, counters, timeoutSeconds);
            applyUpserts(c, upserts, out, counters, timeoutSeconds);
        } catch (SQLException e) {
            connection.discard();
            if (SqlErrors.isSinkWide(e)) {
                return sinkFaulted(changes, out, unplannable, session.explain(e));
            }
            // A statement-level failure says nothing about any one row: retry, never dead-letter.
            String reason = SqlErrors.describe(e);
            for (ChangeRecord change : changes) {
                out.putIfAbsent(change.itemKey(), new WriteResult.Outcome.Failed(reason, true));
            }
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

    // ---- deletes -------------------------------------------------------------------------------

    private void applyDeletes(Connection c, List<PlannedRow.Delete> deletes, Map<ItemKey, WriteResult.Outcome> out,
                              WriteResult.Counters counters, int timeoutSeconds) throws SQLException {
        if (deletes.isEmpty()) {
            return;
        }
        Map<String, String> stored = lookupVersions(c, new ArrayList<>(deletes), counters, timeoutSeconds);
        // The tombstone first: if the delete below fails, a re-delivery finds the row and tries again,
        // and meanwhile no late older change can bring the item back.
        Timestamp now = Timestamp.from(Instant.now());
        int[] counts = executeBatch(c, dialect.tombstoneUpsertSql(tombstones), deletes, (ps, d) -> {
            ps.setString(1, d.key().canonical());
            ps.setString(2, d.version());
            ps.setTimestamp(3, now);
        }, counters, timeoutSeconds);
        List<PlannedRow.Delete> toDelete = new ArrayList<>();
        for (int i = 0; i < deletes.size(); i++) {
            PlannedRow.Delete d = deletes.get(i);
            if (counts[i] != 1) {
                out.put(d.key(), new WriteResult.Outcome.Failed(
                        "the sink did not store the tombstone (rowcount " + counts[i] + ")", true));
                continue;
            }
            String current = stored.get(d.key().canonical());
            if (current == null) {
                out.put(d.key(), new WriteResult.Outcome.Applied(false)); // already gone
                counters.deleted++;
            } else if (current.compareTo(d.version()) > 0) {
                out.put(d.key(), new WriteResult.Outcome.Applied(true)); // the row holds a newer change
                counters.superseded++;
            } else {
                toDelete.add(d);
            }
        }
        if (toDelete.isEmpty()) {
            return;
        }
        int[] deleted = executeBatch(c, dialect.deleteSql(table, keySchema), toDelete, dialect::bindDelete,
                counters, timeoutSeconds);
        List<PlannedRow> unconfirmed = new ArrayList<>();
        for (int i = 0; i < toDelete.size(); i++) {
            PlannedRow.Delete d = toDelete.get(i);
            if (deleted[i] == 0 || deleted[i] == 1) {
                out.put(d.key(), new WriteResult.Outcome.Applied(false));
                counters.deleted++;
            } else {
                unconfirmed.add(d); // crate-jdbc reports -3 for a key that is already gone: look again
            }
        }
        if (!unconfirmed.isEmpty()) {
            Map<String, String> after = lookupVersions(c, unconfirmed, counters, timeoutSeconds);
            for (PlannedRow r : unconfirmed) {
                String current = after.get(r.key().canonical());
                if (current == null || current.compareTo(r.version()) > 0) {
                    out.put(r.key(), new WriteResult.Outcome.Applied(current != null));
                    counters.deleted += current == null ? 1 : 0;
                } else {
                    out.put(r.key(), new WriteResult.Outcome.Failed("the sink did not delete the row", true));
                }
            }
        }
    }

    // ---- upserts -------------------------------------------------------------------------------

    private void applyUpserts(Connection c, List<PlannedRow.Upsert> upserts, Map<ItemKey, WriteResult.Outcome> out,
                              WriteResult.Counters counters, int timeoutSeconds) throws SQLException {
        String insertSql = dialect.insertIfAbsentSql(table, keySchema);
        String upsertSql = dialect.upsertSql(table, keySchema);
        List<PlannedRow.Upsert> suspects = new ArrayList<>();
        for (int from = 0; from < upserts.size(); from += settings.rowsPerBatch()) {
            List<PlannedRow.Upsert> chunk = upserts.subList(from, Math.min(upserts.size(), from + settings.rowsPerBatch()));
            // 1. Insert what is new. This also creates any new sub-columns before step 3, which
            //    matters: CrateDB 6.4 wipes a kept row's dynamic object when the losing document of
            //    a guarded upsert brings a sub-column the table did not have yet (measured).
            int[] inserted = executeBatchOrUnknown(c, insertSql, chunk, counters, timeoutSeconds);
            List<PlannedRow.Upsert> fresh = new ArrayList<>();
            List<PlannedRow.Upsert> existing = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                (inserted[i] == 1 ? fresh : existing).add(chunk.get(i));
            }
            // 2. A new row may be an item deleted by a newer change (a late, older change arriving
            //    after the REMOVE): its tombstone says so, and the row goes again. Only new rows can
            //    be such resurrections, so only they are looked up.
            Map<String, String> deletedAt = fresh.isEmpty() ? Map.of()
                    : lookupTombstones(c, fresh, counters, timeoutSeconds);
            List<PlannedRow.Delete> undo = new ArrayList<>();
            for (PlannedRow.Upsert u : fresh) {
                String tomb = deletedAt.get(u.key().canonical());
                if (tomb != null && tomb.compareTo(u.version()) >= 0) {
                    undo.add(new PlannedRow.Delete(u.key(), u.change(), u.keyValues(), tomb));
                } else {
                    applied(u, out, counters);
                }
            }
            if (!undo.isEmpty()) {
                int[] counts = executeBatch(c, dialect.deleteSql(table, keySchema), undo, dialect::bindDelete,
                        counters, timeoutSeconds);
                for (int i = 0; i < undo.size(); i++) {
                    if (counts[i] == 1 || counts[i] == 0) {
                        out.put(undo.get(i).key(), new WriteResult.Outcome.Applied(true));
                        counters.superseded++;
                    } else {
                        out.put(undo.get(i).key(), new WriteResult.Outcome.Failed(
                                "the sink did not remove a row a newer delete had removed (rowcount " + counts[i] + ")",
                                true));
                    }
                }
            }
            // 3. Rows that exist (or whose insert failed): replace them unless they hold a newer change.
            if (!existing.isEmpty()) {
                int[] counts = executeBatchOrUnknown(c, upsertSql, existing, counters, timeoutSeconds);
                for (int i = 0; i < existing.size(); i++) {
                    if (counts[i] == 1) {
                        applied(existing.get(i), out, counters);
                    } else {
                        suspects.add(existing.get(i));
                    }
                }
            }
        }
        if (!suspects.isEmpty()) {
            isolate(c, insertSql, upsertSql, suspects, out, counters, timeoutSeconds);
        }
    }

    private static void applied(PlannedRow.Upsert u, Map<ItemKey, WriteResult.Outcome> out,
                                WriteResult.Counters counters) {
        out.put(u.key(), new WriteResult.Outcome.Applied(false));
        counters.upserted++;
        counters.divertedAttributes += u.divertedAttributes();
        counters.inexactNumbers += u.inexactNumbers();
    }

    /**
     * A batch whose per-row outcome is unknown after a row-level failure (PostgreSQL rolls the
     * whole batch back, CrateDB rejects it whole for a type conflict) reads as "nothing confirmed":
     * every row is then confirmed on its own. Transient failures still propagate.
     */
    private int[] executeBatchOrUnknown(Connection c, String sql, List<PlannedRow.Upsert> rows,
                                        WriteResult.Counters counters, int timeoutSeconds) throws SQLException {
        try {
            return executeBatch(c, sql, rows, dialect::bindUpsert, counters, timeoutSeconds);
        } catch (BatchUpdateException e) {
            if (SqlErrors.isNotTheRecords(e)) {
                throw e;
            }
            int[] unknown = new int[rows.size()];
            java.util.Arrays.fill(unknown, Statement.EXECUTE_FAILED);
            return unknown;
        }
    }

    /**
     * Rows the batch did not confirm, one at a time: first re-planned against the sink's current
     * column types (another writer, or an earlier row of this batch, may have typed a column),
     * then with the whole image in aux. Only a row that fails both is a failure of its record.
     */
    private void isolate(Connection c, String insertSql, String upsertSql, List<PlannedRow.Upsert> suspects,
                         Map<ItemKey, WriteResult.Outcome> out, WriteResult.Counters counters, int timeoutSeconds)
            throws SQLException {
        kinds = dialect.loadColumnKinds(c, table);
        try (PreparedStatement insert = c.prepareStatement(insertSql);
             PreparedStatement upsert = c.prepareStatement(upsertSql)) {
            insert.setQueryTimeout(timeoutSeconds);
            upsert.setQueryTimeout(timeoutSeconds);
            for (PlannedRow.Upsert suspect : suspects) {
                PlannedRow.Upsert replanned = (PlannedRow.Upsert) planner.plan(suspect.change(), kinds);
                String firstError = tryAlone(c, insert, upsert, replanned, out, counters, timeoutSeconds);
                if (firstError == null) {
                    continue;
                }
                PlannedRow.Upsert allInAux = (PlannedRow.Upsert) planner.planAllInAux(suspect.change());
                String secondError = tryAlone(c, insert, upsert, allInAux, out, counters, timeoutSeconds);
                if (secondError == null) {
                    counters.rowsStoredInAuxOnly++;
                    log.accept("stored item " + suspect.key() + " with all attributes in aux; the sink refused"
                            + " its typed form: " + firstError);
                } else {
                    out.put(suspect.key(), new WriteResult.Outcome.Failed(
                            "the sink rejected the row: " + secondError, false));
                }
            }
        }
    }

    /**
     * Insert-if-absent then guarded upsert, for one row; records the outcome when stored and returns
     * null, else returns why not. Throws only for transient or sink-wide errors.
     */
    private String tryAlone(Connection c, PreparedStatement insert, PreparedStatement upsert, PlannedRow.Upsert row,
                            Map<ItemKey, WriteResult.Outcome> out, WriteResult.Counters counters, int timeoutSeconds)
            throws SQLException {
        try {
            dialect.bindUpsert(insert, row);
            counters.statements++;
            if (insert.executeUpdate() == 1) {
                Map<String, String> tomb = lookupTombstones(c, List.of(row), counters, timeoutSeconds);
                String deleted = tomb.get(row.key().canonical());
                if (deleted != null && deleted.compareTo(row.version()) >= 0) {
                    executeBatch(c, dialect.deleteSql(table, keySchema),
                            List.of(new PlannedRow.Delete(row.key(), row.change(), row.keyValues(), deleted)),
                            dialect::bindDelete, counters, timeoutSeconds);
                    out.put(row.key(), new WriteResult.Outcome.Applied(true));
                    counters.superseded++;
                    return null;
                }
                applied(row, out, counters);
                return null;
            }
            dialect.bindUpsert(upsert, row);
            counters.statements++;
            int n = upsert.executeUpdate();
            if (n == 1) {
                applied(row, out, counters);
                return null;
            }
            return "rowcount " + n + " where 1 was due";
        } catch (SQLException e) {
            if (SqlErrors.isNotTheRecords(e)) {
                throw e;
            }
            return SqlErrors.describe(e);
        }
    }

    // ---- lookups -------------------------------------------------------------------------------

    private Map<String, String> lookupVersions(Connection c, List<PlannedRow> rows, WriteResult.Counters counters,
                                               int timeoutSeconds) throws SQLException {
        Map<String, String> versions = new HashMap<>();
        int chunkSize = dialect.keysPerVersionLookup();
        for (int from = 0; from < rows.size(); from += chunkSize) {
            List<PlannedRow> chunk = rows.subList(from, Math.min(rows.size(), from + chunkSize));
            try (PreparedStatement ps = c.prepareStatement(dialect.currentVersionsSql(table, keySchema, chunk.size()))) {
                ps.setQueryTimeout(timeoutSeconds);
                dialect.bindKeyLookup(ps, keySchema, chunk);
                counters.statements++;
                try (ResultSet rs = ps.executeQuery()) {
                    int vc = dialect.versionColumn(keySchema);
                    while (rs.next()) {
                        versions.put(dialect.readCanonicalKey(rs, keySchema), rs.getString(vc));
                    }
                }
            }
        }
        return versions;
    }

    private Map<String, String> lookupTombstones(Connection c, List<PlannedRow.Upsert> rows,
                                                 WriteResult.Counters counters, int timeoutSeconds)
            throws SQLException {
        Map<String, String> versions = new HashMap<>();
        for (int from = 0; from < rows.size(); from += LOOKUP_CHUNK) {
            List<String> keys = new ArrayList<>();
            for (PlannedRow.Upsert u : rows.subList(from, Math.min(rows.size(), from + LOOKUP_CHUNK))) {
                keys.add(u.key().canonical());
            }
            try (PreparedStatement ps = dialect.prepareTombstoneLookup(c, tombstones, keys)) {
                ps.setQueryTimeout(timeoutSeconds);
                counters.statements++;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return versions;
    }

    // ---- plumbing ------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private <T> int[] executeBatch(Connection c, String sql, List<T> rows, Binder<T> binder,
                                   WriteResult.Counters counters, int timeoutSeconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            counters.statements++;
            int[] counts = ps.executeBatch();
            if (counts.length != rows.size()) {
                throw new BatchUpdateException("the sink answered " + counts.length + " rowcounts for "
                        + rows.size() + " rows", counts);
            }
            return counts;
        }
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
