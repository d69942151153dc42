package dev.cdcrelay.write;

import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Applies INSERTs and MODIFYs, a chunk at a time: insert what is absent, replace what exists
 * unless it holds a newer change (one atomic statement per row, the version condition inside the
 * conflict action; that statement alone on PostgreSQL, and on CrateDB for rows whose sub-columns
 * the table already has, see {@link SinkDialect#insertsBeforeGuardedUpsert} and {@link SubColumns}), then {@link Tombstones#removeCovered} for every row written, because a row
 * deleted by another writer between the two statements, or a late older change, must not stay.
 * On CrateDB, rows stored with an older change are first replaced in place by their revision,
 * with neither guard nor look-up ({@link #updateByRevision}); rows that read finds absent, and
 * every row of a batch whose reads find most rows absent, take insert-if-absent first.
 *
 * <p>Nothing counts as stored unless the database said so: every rowcount is checked, and a row
 * that did not come back as 1 is retried alone, re-planned against the sink's current column
 * types, then with the whole image in {@code aux}. Only then is it a failure of that record.
 */
final class UpsertApplier {

    private final SinkTables tables;
    private final Attempt attempt;
    private final RowPlanner planner;
    private final int rowsPerBatch;
    private final Consumer<String> log;
    private final boolean plannedNewColumns;
    private final SubColumns subColumns;
    private ColumnKinds kinds;
    /**
     * Whether reading revisions still finds most rows stored: MODIFYs of items the same batch
     * created (a replay, a backfill) find none, and then the read is only a cost.
     */
    private boolean revisionReadsPay = true;

    /**
     * @param plannedNewColumns whether planning these rows met sub-columns this writer did not know
     *                          the sink's type of (then {@link #retype} checks them after writing)
     */
    UpsertApplier(SinkTables tables, Attempt attempt, RowPlanner planner, ColumnKinds kinds,
                  boolean plannedNewColumns, SubColumns subColumns, int rowsPerBatch, Consumer<String> log) {
        this.tables = tables;
        this.attempt = attempt;
        this.planner = planner;
        this.kinds = kinds;
        this.plannedNewColumns = plannedNewColumns;
        this.subColumns = subColumns;
        this.rowsPerBatch = rowsPerBatch;
        this.log = log;
    }

    /** The sink's column types as last read (re-read when a row had to be retried alone). */
    ColumnKinds kinds() {
        return kinds;
    }

    void apply(List<PlannedRow.Upsert> upserts) throws SQLException {
        SinkDialect dialect = tables.dialect();
        String insertSql = dialect.insertIfAbsentSql(tables.rows(), tables.keys());
        String upsertSql = dialect.upsertSql(tables.rows(), tables.keys());
        boolean insertsFirst = dialect.insertsBeforeGuardedUpsert();
        // Rows this writer meets new sub-columns for are re-checked against the sink's types after
        // writing (retype); they all take the guarded upsert.
        Optional<String> updateSql = plannedNewColumns ? Optional.empty()
                : dialect.updateByRevisionSql(tables.rows(), tables.keys());
        Predicate<PlannedRow.Upsert> unknownSubColumns = unknownSubColumns(upserts);
        List<PlannedRow.Upsert> suspects = new ArrayList<>();
        for (int from = 0; from < upserts.size(); from += rowsPerBatch) {
            List<PlannedRow.Upsert> chunk = new ArrayList<>(
                    upserts.subList(from, Math.min(upserts.size(), from + rowsPerBatch)));
            chunk.sort(Comparator.comparing(row -> row.key().canonical())); // lock order, see SinkWriter
            // 1. Insert what is new, for rows that bring a sub-column the table may not have yet:
            //    this creates it before step 2, which matters: CrateDB 6.4 wipes a kept row's
            //    dynamic object when the losing document of a guarded upsert brings a sub-column
            //    the table did not have yet (measured). Also for the rows of INSERT events, which
            //    are usually new: for a new row insert-if-absent alone is cheaper on CrateDB than
            //    the guarded upsert, whose conflict action reads the stored row (measured: INSERT-only
            //    batches of 10,000 at 0.86 of the ceiling that way, 0.62 through the guarded upsert).
            //    The other rows (MODIFYs whose every sub-column the catalog listed, SubColumns),
            //    and every row where the sink needs no such step (PostgreSQL), go to step 2 at
            //    once: one statement a row instead of two. Either path is right for any row.
            List<PlannedRow.Upsert> written = new ArrayList<>();
            List<PlannedRow.Upsert> existing = new ArrayList<>();
            List<PlannedRow.Upsert> first = new ArrayList<>();
            for (PlannedRow.Upsert row : chunk) {
                (insertFirst(row, unknownSubColumns, insertsFirst) ? first : existing).add(row);
            }
            insertIfAbsent(insertSql, first, unknownSubColumns, written, existing);
            // 2. Rows that exist (or whose insert failed or was skipped). First, where the sink
            //    reads revisions (CrateDB), the rows stored with an older change than this one:
            //    replaced in place, by the revision just read. Rows the read found absent take
            //    insert-if-absent as in step 1, the cheaper statement for a new row.
            List<PlannedRow.Upsert> updated = new ArrayList<>();
            if (updateSql.isPresent() && revisionReadsPay && !existing.isEmpty()) {
                List<PlannedRow.Upsert> absent = new ArrayList<>();
                existing = updateByRevision(updateSql.get(), existing, unknownSubColumns, updated, absent);
                insertIfAbsent(insertSql, absent, unknownSubColumns, written, existing);
            }
            //    The others: insert or replace them unless they hold a newer change.
            if (!existing.isEmpty()) {
                int[] counts = executeOrUnknown(parsedFor(upsertSql, existing, unknownSubColumns), existing);
                for (int i = 0; i < existing.size(); i++) {
                    (counts[i] == 1 ? written : suspects).add(existing.get(i));
                }
            }
            // 3. Sub-columns this writer saw first may have been typed by another writer meanwhile.
            if (plannedNewColumns) {
                retype(upsertSql, written, suspects);
            }
            // 4. What a newer REMOVE covers goes again (see Tombstones). Not needed for the rows
            //    updated in place: see updateByRevision.
            settle(written);
            updated.forEach(this::applied);
        }
        if (!suspects.isEmpty()) {
            isolate(insertSql, upsertSql, suspects);
        }
    }

    /** Insert-if-absent of these rows: those it created go to {@code written}, the others to {@code existing}. */
    private void insertIfAbsent(String insertSql, List<PlannedRow.Upsert> rows,
                                Predicate<PlannedRow.Upsert> unknownSubColumns, List<PlannedRow.Upsert> written,
                                List<PlannedRow.Upsert> existing) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int[] inserted = executeOrUnknown(parsedFor(insertSql, rows, unknownSubColumns), rows);
        for (int i = 0; i < rows.size(); i++) {
            (inserted[i] == 1 ? written : existing).add(rows.get(i));
        }
    }

    /**
     * Replaces in place, by the revision read a moment ago, every row stored with an older change
     * than this one; puts the rows the read found absent into {@code absent} and returns the rows
     * left for the guarded upsert (stored with this very change or a newer one, with sub-columns
     * the table may lack, or changed by another writer since the read). No version guard is
     * needed: the update applies only to the state read, and that state is older. No tombstone
     * look-up is needed either: the proof (docs/proof.md, "Why no interleaving loses a change")
     * needs one only after a row is created, and an update creates nothing. A row that a newer
     * tombstone covers can exist here only if its creator has not finished its own look-up, so its
     * change is not applied yet; its re-delivery finds this row newer or equal, takes the guarded
     * upsert and the look-up, and removes the row.
     */
    private List<PlannedRow.Upsert> updateByRevision(String updateSql, List<PlannedRow.Upsert> rows,
                                                     Predicate<PlannedRow.Upsert> unknownSubColumns,
                                                     List<PlannedRow.Upsert> updated,
                                                     List<PlannedRow.Upsert> absent) throws SQLException {
        record Target(PlannedRow.Upsert row, StoredRow seen) {
        }
        List<PlannedRow.Upsert> known = new ArrayList<>();
        for (PlannedRow.Upsert row : rows) {
            if (!unknownSubColumns.test(row)) {
                known.add(row);
            }
        }
        if (known.isEmpty()) {
            return rows;
        }
        Map<String, StoredRow> stored = StoredRows.readById(tables, attempt, known);
        if (stored.size() * 2 < known.size()) {
            revisionReadsPay = false; // most are new: the rest of this batch takes insert-if-absent first
        }
        List<Target> targets = new ArrayList<>();
        Set<PlannedRow.Upsert> decided = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PlannedRow.Upsert row : known) {
            StoredRow seen = stored.get(row.key().canonical());
            if (seen == null) {
                absent.add(row);
                decided.add(row);
            } else if (seen.version() != null && seen.version().compareTo(row.version()) < 0) {
                targets.add(new Target(row, seen));
            }
        }
        if (targets.isEmpty()) {
            return without(rows, decided);
        }
        SinkDialect dialect = tables.dialect();
        int[] counts;
        try {
            counts = BatchStatements.execute(attempt, dialect.parsedAfter(updateSql, subColumns.knownTag()), targets,
                    (ps, t) -> dialect.bindUpdateByRevision(ps, t.row(), t.seen()));
        } catch (BatchUpdateException e) {
            if (SqlErrors.isNotTheRecords(e)) {
                throw e;
            }
            // Which rows took it is unknown: those go the guarded way, which is right for any row.
            return without(rows, decided);
        }
        for (int i = 0; i < targets.size(); i++) {
            if (counts[i] == 1) {
                decided.add(targets.get(i).row());
                updated.add(targets.get(i).row());
            } else {
                attempt.counters().conflictsRetried++; // changed since the read: the guarded way decides
            }
        }
        return without(rows, decided);
    }

    private static List<PlannedRow.Upsert> without(List<PlannedRow.Upsert> rows, Set<PlannedRow.Upsert> decided) {
        if (decided.isEmpty()) {
            return rows;
        }
        List<PlannedRow.Upsert> rest = new ArrayList<>(rows.size() - decided.size());
        for (PlannedRow.Upsert row : rows) {
            if (!decided.contains(row)) {
                rest.add(row);
            }
        }
        return rest;
    }

    /**
     * The statement text for these rows: parsed after the catalog read that made every sub-column
     * they bring known, or, when one of them brings a sub-column not known yet, parsed now
     * ({@link SinkDialect#parsedAfter}; a plan older than a sub-column misreads it on CrateDB).
     */
    private String parsedFor(String sql, List<PlannedRow.Upsert> rows, Predicate<PlannedRow.Upsert> unknownSubColumns) {
        boolean unknown = rows.stream().anyMatch(unknownSubColumns);
        return tables.dialect().parsedAfter(sql, unknown ? SubColumns.freshTag() : subColumns.knownTag());
    }

    private boolean insertFirst(PlannedRow.Upsert row, Predicate<PlannedRow.Upsert> unknownSubColumns,
                                boolean insertsFirst) {
        if (unknownSubColumns.test(row)) {
            subColumns.wroteUnknown(); // the insert makes them: worth a catalog read next time
            return true;
        }
        // Once this batch's reads found most rows absent (a replay, a backfill), its MODIFYs too are
        // mostly new rows.
        return insertsFirst && (row.change().eventName() == EventName.INSERT || !revisionReadsPay);
    }

    /**
     * The rows with a sub-column the table is not known to have (on CrateDB; none where the sink
     * needs no insert-if-absent first). The catalog is read again first when that may tell more.
     * Each image is walked once (what is known only grows, so a read can only take rows off the
     * set); the chunks then ask the set.
     */
    private Predicate<PlannedRow.Upsert> unknownSubColumns(List<PlannedRow.Upsert> upserts) throws SQLException {
        if (!tables.dialect().insertsBeforeGuardedUpsert()) {
            return row -> false;
        }
        Set<PlannedRow.Upsert> unknown = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PlannedRow.Upsert row : upserts) {
            if (!subColumns.cover(row.change().newImage())) {
                unknown.add(row);
            }
        }
        if (!unknown.isEmpty() && subColumns.readDue()) {
            attempt.counters().statements++;
            subColumns.read(attempt.connection(), tables.rows(), attempt.timeoutSeconds());
            unknown.removeIf(row -> subColumns.cover(row.change().newImage()));
        }
        return unknown.isEmpty() ? row -> false : unknown::contains;
    }

    /**
     * A sub-column takes its type from the first value any writer stores in it, and CrateDB
     * coerces some later values silently (false into a TEXT column is stored as "f", 2.5 into a
     * BIGINT one as 2; rowcount 1). This writer planned new sub-columns against what it knew; if
     * another writer typed one of them first, the row it wrote is re-planned against the sink's
     * real types and written again (same version, so the guarded upsert takes it unless a newer
     * change came meanwhile). Types never change once set, so once is enough.
     */
    private void retype(String upsertSql, List<PlannedRow.Upsert> written, List<PlannedRow.Upsert> suspects)
            throws SQLException {
        ColumnKinds actual = tables.dialect().loadColumnKinds(attempt.connection(), tables.rows());
        if (actual.size() == 0) {
            return; // the sink keeps documents as they are (PostgreSQL)
        }
        kinds = actual;
        List<PlannedRow.Upsert> again = new ArrayList<>();
        for (PlannedRow.Upsert u : written) {
            PlannedRow.Upsert replanned = (PlannedRow.Upsert) planner.plan(u.change(), kinds);
            if (!replanned.dataJson().equals(u.dataJson()) || !replanned.auxJson().equals(u.auxJson())) {
                again.add(replanned);
            }
        }
        if (again.isEmpty()) {
            return;
        }
        log.accept(again.size() + " row(s) written again: another writer typed a new sub-column first");
        int[] counts = executeOrUnknown(tables.dialect().parsedAfter(upsertSql, SubColumns.freshTag()), again);
        for (int i = 0; i < again.size(); i++) {
            PlannedRow.Upsert row = again.get(i);
            written.removeIf(w -> w.key().equals(row.key()));
            (counts[i] == 1 ? written : suspects).add(row);
        }
    }

    /** Rows the sink confirmed: applied, unless a tombstone covers them (then superseded). */
    private void settle(List<PlannedRow.Upsert> written) throws SQLException {
        Map<ItemKey, GuardedDelete.Fate> covered = new Tombstones(tables, attempt).removeCovered(written);
        for (PlannedRow.Upsert u : written) {
            GuardedDelete.Fate fate = covered.get(u.key());
            if (fate == null) {
                applied(u);
            } else if (fate == GuardedDelete.Fate.UNSETTLED) {
                attempt.outcomes().put(u.key(), new WriteResult.Outcome.Failed(
                        "a newer delete covers the row, which kept changing under concurrent writers", true));
            } else {
                attempt.outcomes().put(u.key(), new WriteResult.Outcome.Applied(true));
                attempt.counters().superseded++;
            }
        }
    }

    private void applied(PlannedRow.Upsert u) {
        WriteResult.Counters counters = attempt.counters();
        attempt.outcomes().put(u.key(), new WriteResult.Outcome.Applied(false));
        counters.upserted++;
        counters.divertedAttributes += u.divertedAttributes();
        counters.inexactNumbers += u.inexactNumbers();
    }

    /**
     * A batch whose per-row outcome is unknown after a row-level failure (PostgreSQL rolls the
     * whole batch back, CrateDB rejects it whole for a type conflict) reads as "nothing confirmed":
     * every row is then confirmed on its own. Transient failures still propagate.
     */
    private int[] executeOrUnknown(String sql, List<PlannedRow.Upsert> rows) throws SQLException {
        try {
            return BatchStatements.execute(attempt, sql, rows, tables.dialect()::bindUpsert);
        } catch (BatchUpdateException e) {
            if (SqlErrors.isNotTheRecords(e)) {
                throw e;
            }
            int[] unknown = new int[rows.size()];
            Arrays.fill(unknown, Statement.EXECUTE_FAILED);
            return unknown;
        }
    }

    /**
     * Rows the batch did not confirm, one at a time: first re-planned against the sink's current
     * column types (another writer, or an earlier row of this batch, may have typed a column),
     * then with the whole image in aux. Only a row that fails both is a failure of its record.
     */
    private void isolate(String insertSql, String upsertSql, List<PlannedRow.Upsert> suspects) throws SQLException {
        kinds = tables.dialect().loadColumnKinds(attempt.connection(), tables.rows());
        List<PlannedRow.Upsert> written = new ArrayList<>();
        for (PlannedRow.Upsert suspect : suspects) {
            PlannedRow.Upsert replanned = (PlannedRow.Upsert) planner.plan(suspect.change(), kinds);
            Optional<String> firstError = tryAlone(insertSql, upsertSql, replanned);
            if (firstError.isEmpty()) {
                written.add(replanned);
                continue;
            }
            PlannedRow.Upsert allInAux = (PlannedRow.Upsert) planner.planAllInAux(suspect.change());
            Optional<String> secondError = tryAlone(insertSql, upsertSql, allInAux);
            if (secondError.isEmpty()) {
                written.add(allInAux);
                attempt.counters().rowsStoredInAuxOnly++;
                log.accept("stored item " + suspect.key() + " with all attributes in aux; the sink refused"
                        + " its typed form: " + firstError.get());
            } else {
                attempt.outcomes().put(suspect.key(), new WriteResult.Outcome.Failed(
                        "the sink rejected the row: " + secondError.get(), false));
            }
        }
        settle(written);
    }

    /**
     * Insert-if-absent then guarded upsert, for one row, each parsed now (the row may bring
     * sub-columns made a moment ago). Empty when the sink stored it, else why not. Throws only
     * for transient or sink-wide errors.
     */
    private Optional<String> tryAlone(String insertSql, String upsertSql, PlannedRow.Upsert row) throws SQLException {
        SinkDialect dialect = tables.dialect();
        try (PreparedStatement insert = attempt.connection().prepareStatement(dialect.parsedAfter(insertSql, SubColumns.freshTag()));
             PreparedStatement upsert = attempt.connection().prepareStatement(dialect.parsedAfter(upsertSql, SubColumns.freshTag()))) {
            insert.setQueryTimeout(attempt.timeoutSeconds());
            upsert.setQueryTimeout(attempt.timeoutSeconds());
            dialect.bindUpsert(insert, row);
            attempt.counters().statements++;
            if (insert.executeUpdate() == 1) {
                return Optional.empty();
            }
            dialect.bindUpsert(upsert, row);
            attempt.counters().statements++;
            int n = upsert.executeUpdate();
            return n == 1 ? Optional.empty() : Optional.of("rowcount " + n + " where 1 was due");
        } catch (SQLException e) {
            if (SqlErrors.isNotTheRecords(e)) {
                throw e;
            }
            return Optional.of(SqlErrors.describe(e));
        }
    }
}
