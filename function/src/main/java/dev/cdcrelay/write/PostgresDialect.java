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
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\"key\" TEXT PRIMARY KEY, \"pk\" JSONB NOT NULL,"
                        + " \"data\" JSONB, \"aux\" JSONB, \"version\" TEXT COLLATE \"C\" NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + tombstones.sql() + " (\"key\" TEXT PRIMARY KEY,"
                        + " \"version\" TEXT COLLATE \"C\" NOT NULL, \"deleted_at\" TIMESTAMPTZ NOT NULL)");
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
