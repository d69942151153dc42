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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL with jsonb: {@code key} (the canonical item key) is the primary key, {@code pk},
 * {@code data} and {@code aux} are jsonb. jsonb keeps numbers exactly, so there is no type
 * inference to defend against. Versions compare in the C collation: they are fixed-width digits.
 */
public final class PostgresDialect implements SinkDialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public RowPlanner.Mode documentMode() {
        return RowPlanner.Mode.EXACT_JSON;
    }

    @Override
    public List<String> createTables(TableName table, TableName tombstones, KeySchema keys, DeclaredTypes declared) {
        return List.of(tableDdl(table), tombstoneDdl(tombstones));
    }

    private static String tableDdl(TableName table) {
        return "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\"key\" TEXT PRIMARY KEY, \"pk\" JSONB NOT NULL,"
                + " \"data\" JSONB, \"aux\" JSONB, \"version\" TEXT COLLATE \"C\" NOT NULL)";
    }

    private static String tombstoneDdl(TableName tombstones) {
        return "CREATE TABLE IF NOT EXISTS " + tombstones.sql() + " (\"key\" TEXT PRIMARY KEY,"
                + " \"version\" TEXT COLLATE \"C\" NOT NULL, \"deleted_at\" TIMESTAMPTZ NOT NULL)";
    }

    private static final String[] TEXT_TYPES = {"text", "character varying"};
    private static final String[] JSON_TYPES = {"jsonb", "json"};

    @Override
    public ExpectedLayout expectedLayout(TableName table, KeySchema keys, DeclaredTypes declared) {
        return new ExpectedLayout(List.of(
                ExpectedLayout.column("key", "key TEXT PRIMARY KEY", TEXT_TYPES),
                ExpectedLayout.column("pk", "pk JSONB", JSON_TYPES),
                ExpectedLayout.column("data", "data JSONB", JSON_TYPES),
                ExpectedLayout.column("aux", "aux JSONB", JSON_TYPES),
                ExpectedLayout.addableColumn("version", "version TEXT COLLATE \"C\"", TEXT_TYPES)),
                List.of("key"), Set.of(), tableDdl(table));
    }

    @Override
    public ExpectedLayout expectedTombstoneLayout(TableName tombstones) {
        return new ExpectedLayout(List.of(
                ExpectedLayout.column("key", "key TEXT PRIMARY KEY", TEXT_TYPES),
                ExpectedLayout.column("version", "version TEXT COLLATE \"C\"", TEXT_TYPES),
                ExpectedLayout.column("deleted_at", "deleted_at TIMESTAMPTZ",
                        "timestamp with time zone", "timestamp without time zone")),
                List.of("key"), Set.of(), tombstoneDdl(tombstones));
    }

    /**
     * A constant default fills existing rows at once (PostgreSQL 11 and later) with {@code ''},
     * which sorts before every version the relay writes: any change replaces them.
     */
    @Override
    public List<String> addVersionColumn(TableName table) {
        return List.of("ALTER TABLE " + table.sql() + " ADD COLUMN IF NOT EXISTS \"version\" TEXT COLLATE \"C\""
                + " NOT NULL DEFAULT ''");
    }

    /** From pg_index: information_schema hides constraints from a user who may only SELECT (measured). */
    @Override
    public List<String> primaryKey(Connection connection, String schema, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indisprimary AND i.indrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))"
                + " ORDER BY array_position(i.indkey, a.attnum)")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** NOT NULL with a constant default: PostgreSQL fills every existing row when the column is added. */
    @Override
    public List<String> backfillVersion(TableName table) {
        return List.of();
    }

    @Override
    public String grantStatement(TableName table, TableName tombstones) {
        return "GRANT SELECT, INSERT, UPDATE, DELETE ON " + table.sql() + ", " + tombstones.sql() + " TO <user>";
    }

    /** jsonb is stored as it comes: the guarded upsert alone is safe (see the interface). */
    @Override
    public boolean insertsBeforeGuardedUpsert() {
        return false;
    }

    @Override
    public String upsertSql(TableName table, KeySchema keys) {
        // CASE instead of ON CONFLICT ... WHERE: a kept row still counts 1, as on CrateDB,
        // so "rowcount 1" means "handled" on both sinks.
        String newer = "excluded.\"version\" >= cur.\"version\"";
        return "INSERT INTO " + table.sql() + " AS cur (\"key\", \"pk\", \"data\", \"aux\", \"version\")"
                + " VALUES (?, ?::jsonb, ?::jsonb, ?::jsonb, ?) ON CONFLICT (\"key\") DO UPDATE SET"
                + " \"data\" = CASE WHEN " + newer + " THEN excluded.\"data\" ELSE cur.\"data\" END,"
                + " \"aux\" = CASE WHEN " + newer + " THEN excluded.\"aux\" ELSE cur.\"aux\" END,"
                + " \"version\" = CASE WHEN " + newer + " THEN excluded.\"version\" ELSE cur.\"version\" END";
    }

    @Override
    public void bindUpsert(PreparedStatement ps, PlannedRow.Upsert row) throws SQLException {
        ps.setString(1, row.key().canonical());
        ps.setString(2, row.pkJson());
        ps.setString(3, row.dataJson());
        ps.setString(4, row.auxJson());
        ps.setString(5, row.version());
    }

    @Override
    public String deleteUnlessNewerSql(TableName table, KeySchema keys) {
        // The version condition is evaluated on the row as it is when the delete locks it: a row
        // another writer made newer in between is left alone.
        return "DELETE FROM " + table.sql() + " WHERE \"key\" = ? AND \"version\" <= ? COLLATE \"C\"";
    }

    @Override
    public void bindDeleteUnlessNewer(PreparedStatement ps, PlannedRow.Delete row, StoredRow seen)
            throws SQLException {
        ps.setString(1, row.key().canonical());
        ps.setString(2, row.version());
    }

    @Override
    public String currentVersionsSql(TableName table, KeySchema keys, int count) {
        return "SELECT \"key\", \"version\" FROM " + table.sql() + " WHERE \"key\" IN (" + "?, ".repeat(count - 1) + "?)";
    }

    @Override
    public void bindKeyLookup(PreparedStatement ps, KeySchema keys, List<PlannedRow> rows) throws SQLException {
        int p = 1;
        for (PlannedRow r : rows) {
            ps.setString(p++, r.key().canonical());
        }
    }

    @Override
    public String readCanonicalKey(ResultSet rs, KeySchema keys) throws SQLException {
        return rs.getString(1);
    }

    @Override
    public StoredRow readStoredRow(ResultSet rs, KeySchema keys) throws SQLException {
        return new StoredRow(rs.getString(2), List.of());
    }

    @Override
    public String tombstoneUpsertSql(TableName tombstones) {
        String newer = "excluded.\"version\" > cur.\"version\"";
        return "INSERT INTO " + tombstones.sql() + " AS cur (\"key\", \"version\", \"deleted_at\") VALUES (?, ?, ?)"
                + " ON CONFLICT (\"key\") DO UPDATE SET"
                + " \"deleted_at\" = CASE WHEN " + newer + " THEN excluded.\"deleted_at\" ELSE cur.\"deleted_at\" END,"
                + " \"version\" = CASE WHEN " + newer + " THEN excluded.\"version\" ELSE cur.\"version\" END";
    }

    @Override
    public PreparedStatement prepareTombstoneLookup(Connection c, TableName tombstones, List<String> keys)
            throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT \"key\", \"version\" FROM " + tombstones.sql()
                + " WHERE \"key\" IN (" + "?, ".repeat(keys.size() - 1) + "?)");
        for (int i = 0; i < keys.size(); i++) {
            ps.setString(i + 1, keys.get(i));
        }
        return ps;
    }

    @Override
    public String insertIfAbsentSql(TableName table, KeySchema keys) {
        return "INSERT INTO " + table.sql() + " (\"key\", \"pk\", \"data\", \"aux\", \"version\")"
                + " VALUES (?, ?::jsonb, ?::jsonb, ?::jsonb, ?) ON CONFLICT DO NOTHING";
    }

    @Override
    public String tombstonePurgeSql(TableName tombstones) {
        return "DELETE FROM " + tombstones.sql() + " WHERE \"deleted_at\" < ?";
    }

    @Override
    public ColumnKinds loadColumnKinds(Connection connection, TableName table) {
        return new ColumnKinds();
    }
}
