package dev.cdcrelay.write;

import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Everything that differs between sink databases: DDL, the SQL of each statement the writer runs,
 * how keys and documents are bound, and what the sink already typed. Keeps SQL text out of
 * {@link SinkWriter}, the way Debezium's JDBC sink keeps one dialect per database.
 *
 * <p>Every statement's semantics are fixed here and relied on by the writer. Each guard is part of
 * the statement it guards, so that no other writer can change the row between the check and the
 * write:
 * <ul>
 *   <li>upsert: one row per parameter set; on conflict replaces data, aux and version only when
 *       the incoming version is not older, decided inside the conflict action, and reports
 *       rowcount 1 either way;</li>
 *   <li>delete-unless-newer: by full primary key, removes the row only in the state a lookup saw
 *       and not newer than the delete; rowcount 1 deleted, anything else "look again";</li>
 *   <li>lookups: by full primary key only, so they see rows written a moment ago;</li>
 *   <li>tombstone upsert: keeps the newest delete version per key.</li>
 * </ul>
 */
public interface SinkDialect {

    String name();

    RowPlanner.Mode documentMode();

    /**
     * Statements that create the row table (first) and the tombstone table (second) when missing.
     */
    List<String> createTables(TableName table, TableName tombstones, KeySchema keys, DeclaredTypes declared);

    /** The row table's layout as the writer's statements need it; a table found in place is checked against it. */
    ExpectedLayout expectedLayout(TableName table, KeySchema keys, DeclaredTypes declared);

    /** The tombstone table's layout. */
    ExpectedLayout expectedTombstoneLayout(TableName tombstones);

    /**
     * Statements that add the version column to a table that has everything else (the reference
     * tooling's layout), leaving every existing row older than any change: they run in order, and
     * each may be run again after a partial failure.
     */
    List<String> addVersionColumn(TableName table);

    /**
     * Statements that give rows without a version (NULL) the version {@code ''}, older than any
     * change: run on every start for a table the relay adopted (its version column has a default),
     * so an adoption that stopped half-way is completed. Empty where the column default already
     * reaches every row.
     */
    List<String> backfillVersion(TableName table);

    /** The table's primary-key columns as the catalog names them, in key order; empty when it has none. */
    default List<String> primaryKey(Connection connection, String schema, String table) throws SQLException {
        return TableLayout.primaryKeyFromInformationSchema(connection, schema, table);
    }

    /** The privileges the relay needs, as the statement that grants them (for error messages). */
    String grantStatement(TableName table, TableName tombstones);

    /**
     * Which of the table's write blocks are set ({@code blocks.write} and friends), when the sink
     * has such settings; empty when it has none or none is set. Parameters are never null.
     */
    default Optional<String> writeBlocks(Connection connection, TableName table) throws SQLException {
        return Optional.empty();
    }

    String upsertSql(TableName table, KeySchema keys);

    /** The same row as {@link #upsertSql} (same parameters), inserted only if absent: rowcount 1 new, 0 existing. */
    String insertIfAbsentSql(TableName table, KeySchema keys);

    /**
     * Whether a batch's rows go through {@link #insertIfAbsentSql} before {@link #upsertSql}. True
     * where the guarded upsert alone could lose data: CrateDB 6.4 wipes a kept row's dynamic object
     * when the losing document brings a sub-column the table did not have yet (measured), and the
     * insert creates those sub-columns first; only rows that bring a sub-column the table is not
     * known to have take that step ({@link SubColumns}), and INSERT events, for which it is the
     * cheaper statement ({@code UpsertApplier}). Where the sink keeps documents as they are, the
     * guarded upsert alone inserts or replaces atomically, one statement a row instead of two
     * for rows that exist (docs/performance-log.md, "Relay / ceiling: PostgreSQL").
     */
    default boolean insertsBeforeGuardedUpsert() {
        return true;
    }

    void bindUpsert(PreparedStatement ps, PlannedRow.Upsert row) throws SQLException;

    /**
     * The text to send {@link #upsertSql} or {@link #insertIfAbsentSql} as, so that the sink
     * plans it after the moment {@code tag} names: a new tag makes a new statement (for the driver,
     * which server-prepares a text once per connection, and for the sink). The same text where
     * a statement's plan does not depend on the table's sub-columns.
     */
    default String parsedAfter(String sql, String tag) {
        return sql;
    }

    /**
     * Deletes one row, by full primary key, only if it is still in the state {@code seen} and not
     * newer than the delete's version: rowcount 1 when deleted; 0 (or a driver's "unknown") when
     * another writer changed or removed the row since it was read.
     */
    String deleteUnlessNewerSql(TableName table, KeySchema keys);

    /** Binds {@link #deleteUnlessNewerSql} for a delete of {@code row.version()} and the row state read. */
    void bindDeleteUnlessNewer(PreparedStatement ps, PlannedRow.Delete row, StoredRow seen) throws SQLException;

    /**
     * Replaces one row's data, aux and version, by full primary key, only if it is still in the
     * state {@code seen} that {@link #prepareVersionLookupById} read: rowcount 1 when replaced, 0
     * (or a driver's "unknown") when another writer changed or removed the row since. Empty where
     * the sink reads no revisions; then every row takes the guarded upsert. It never creates a row,
     * which is why {@link UpsertApplier} needs no tombstone look-up after it.
     */
    default Optional<String> updateByRevisionSql(TableName table, KeySchema keys) {
        return Optional.empty();
    }

    /** Binds {@link #updateByRevisionSql} for this row and the state read. */
    default void bindUpdateByRevision(PreparedStatement ps, PlannedRow.Upsert row, StoredRow seen) throws SQLException {
        throw new UnsupportedOperationException("no update by revision on this sink");
    }

    /**
     * {@code SELECT <key columns...>, version[, revision columns] FROM table WHERE <count keys>},
     * by primary key.
     */
    String currentVersionsSql(TableName table, KeySchema keys, int count);

    /** How many keys one {@link #currentVersionsSql} may name and still be a real-time, quick read. */
    default int keysPerVersionLookup() {
        return 1000;
    }

    /**
     * A first, cheaper read of the same rows as {@link #currentVersionsSql} (same columns), by the
     * sink's own row id; empty where the sink has none, or for rows whose id it cannot name. Rows it
     * does not return are read again by key, so an id that misses costs a read, never a row.
     */
    default Optional<PreparedStatement> prepareVersionLookupById(Connection c, TableName table, KeySchema keys,
                                                                 List<? extends PlannedRow> rows) throws SQLException {
        return Optional.empty();
    }

    /** How many rows one {@link #prepareVersionLookupById} may name. */
    default int keysPerIdLookup() {
        return 1000;
    }

    /** Binds the keys of one lookup, starting at parameter 1. */
    void bindKeyLookup(PreparedStatement ps, KeySchema keys, List<PlannedRow> rows) throws SQLException;

    /** The canonical item key of a row returned by {@link #currentVersionsSql}. */
    String readCanonicalKey(ResultSet rs, KeySchema keys) throws SQLException;

    /** The version and revision of a row returned by {@link #currentVersionsSql}. */
    StoredRow readStoredRow(ResultSet rs, KeySchema keys) throws SQLException;

    /** Parameters: canonical key, version, deleted-at (timestamp). */
    String tombstoneUpsertSql(TableName tombstones);

    /**
     * A ready-to-run {@code SELECT key, version FROM tombstones} for these canonical keys, by
     * primary key so that it sees tombstones written a moment ago.
     */
    PreparedStatement prepareTombstoneLookup(Connection c, TableName tombstones, List<String> keys) throws SQLException;

    /** Parameter: a timestamp; deletes tombstones older than it. */
    String tombstonePurgeSql(TableName tombstones);

    /** What the sink already typed below {@code data}; empty when the sink keeps JSON as is. */
    ColumnKinds loadColumnKinds(Connection connection, TableName table) throws SQLException;

    /** Picks the dialect for a JDBC URL and the server it reaches. */
    static SinkDialect detect(String jdbcUrl, Connection connection) throws SQLException {
        if (jdbcUrl.startsWith("jdbc:crate:")) {
            return new CrateDbDialect();
        }
        // CrateDB recommends the PostgreSQL driver too: ask the server what it is.
        try (var st = connection.createStatement(); var rs = st.executeQuery("SELECT version()")) {
            if (rs.next() && rs.getString(1) != null && rs.getString(1).toLowerCase().contains("cratedb")) {
                return new CrateDbDialect();
            }
        }
        return new PostgresDialect();
    }
}
