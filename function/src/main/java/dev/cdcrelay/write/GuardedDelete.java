package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.PlannedRow;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes rows unless they hold a change newer than a given version, whatever other writers do
 * meanwhile: the one way this writer ever deletes a row (for a REMOVE, and to undo a row that a
 * tombstone covers).
 *
 * <p>Each round reads the rows by primary key, then deletes, in one atomic statement per row, only
 * the state that was read and only if it is not newer ({@link SinkDialect#deleteUnlessNewerSql}:
 * a version condition on PostgreSQL, {@code _seq_no}/{@code _primary_term} on CrateDB). A row that
 * another writer changed in between is not deleted (rowcount 0); it is read again and decided
 * again, up to {@link #MAX_ROUNDS} times.
 */
final class GuardedDelete {

    /** What became of one row. */
    enum Fate {
        /** This writer deleted it. */
        REMOVED,
        /** There was no row (any more). */
        ABSENT,
        /** The row holds a newer change: it stays. */
        NEWER,
        /** Other writers kept changing the row: not decided in this attempt, try again later. */
        UNSETTLED
    }

    /** Rounds of read-then-delete per row before giving up for this attempt (the retry loop comes back). */
    static final int MAX_ROUNDS = 8;

    private final SinkTables tables;
    private final Attempt attempt;

    GuardedDelete(SinkTables tables, Attempt attempt) {
        this.tables = tables;
        this.attempt = attempt;
    }

    /** Deletes each row unless it holds a change newer than the row's {@code version()}. */
    Map<ItemKey, Fate> apply(List<PlannedRow.Delete> deletes) throws SQLException {
        record Target(PlannedRow.Delete delete, StoredRow seen) {
        }
        Map<ItemKey, Fate> fates = new LinkedHashMap<>();
        List<PlannedRow.Delete> pending = deletes;
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            Map<String, StoredRow> stored = read(pending);
            List<Target> targets = new ArrayList<>();
            for (PlannedRow.Delete d : pending) {
                StoredRow seen = stored.get(d.key().canonical());
                if (seen == null) {
                    fates.put(d.key(), Fate.ABSENT);
                } else if (seen.isNewerThan(d.version())) {
                    fates.put(d.key(), Fate.NEWER);
                } else {
                    targets.add(new Target(d, seen));
                }
            }
            if (targets.isEmpty()) {
                return fates;
            }
            SinkDialect dialect = tables.dialect();
            int[] counts = BatchStatements.execute(attempt, dialect.deleteUnlessNewerSql(tables.rows(), tables.keys()),
                    targets, (ps, t) -> dialect.bindDeleteUnlessNewer(ps, t.delete(), t.seen()));
            List<PlannedRow.Delete> changedMeanwhile = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                if (counts[i] == 1) {
                    fates.put(targets.get(i).delete().key(), Fate.REMOVED);
                } else {
                    // 0: the row is no longer the state that was read (another writer changed or
                    // deleted it); crate-jdbc reports -3 for the same. Read it again.
                    changedMeanwhile.add(targets.get(i).delete());
                }
            }
            attempt.counters().conflictsRetried += changedMeanwhile.size();
            pending = changedMeanwhile;
        }
        pending.forEach(d -> fates.put(d.key(), Fate.UNSETTLED));
        return fates;
    }

    /**
     * The rows as they are now, by canonical key; absent rows are missing from the map. By the
     * sink's row id first where it has one (one statement per thousand rows on CrateDB instead of
     * 25), then by key for whatever that did not find: a row is taken as absent only when the read
     * by key does not find it either.
     */
    private Map<String, StoredRow> read(List<PlannedRow.Delete> rows) throws SQLException {
        Map<String, StoredRow> found = StoredRows.readById(tables, attempt, rows);
        List<PlannedRow.Delete> rest = rows;
        if (!found.isEmpty()) {
            rest = new ArrayList<>();
            for (PlannedRow.Delete d : rows) {
                if (!found.containsKey(d.key().canonical())) {
                    rest.add(d);
                }
            }
        }
        found.putAll(readByKey(rest));
        return found;
    }

    private Map<String, StoredRow> readByKey(List<PlannedRow.Delete> rows) throws SQLException {
        SinkDialect dialect = tables.dialect();
        return StoredRows.readInChunks(tables, attempt, rows, dialect.keysPerVersionLookup(), chunk -> {
            PreparedStatement ps = attempt.connection().prepareStatement(
                    dialect.currentVersionsSql(tables.rows(), tables.keys(), chunk.size()));
            try {
                dialect.bindKeyLookup(ps, tables.keys(), List.copyOf(chunk));
            } catch (SQLException e) {
                ps.close();
                throw e;
            }
            return Optional.of(ps);
        });
    }
}
