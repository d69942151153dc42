package dev.cdcrelay.write;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ColumnKind;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CrateDB, with the reference tooling's layout so existing queries carry over:
 * {@code pk OBJECT(STRICT)} holding the typed key (the primary key), {@code data OBJECT(DYNAMIC)},
 * {@code aux OBJECT(IGNORED)}, plus {@code version}, the newest change applied to the row.
 *
 * <p>CrateDB has no transactions and no WHERE on the conflict action, but the SET expressions can
 * read the stored row, so "only if newer" is a CASE per column. Documents are bound as JSON text
 * with {@code ::OBJECT} (crate-jdbc cannot bind PGobject).
 */
public final class CrateDbDialect implements SinkDialect {

    @Override
    public String name() {
        return "cratedb";
    }

    @Override
    public RowPlanner.Mode documentMode() {
        return RowPlanner.Mode.CRATEDB_SAFE;
    }

    @Override
    public List<String> createTables(TableName table, TableName tombstones, KeySchema keys, DeclaredTypes declared) {
        StringBuilder pk = new StringBuilder();
        for (KeySchema.KeyAttribute a : keys.attributes()) {
            if (pk.length() > 0) {
                pk.append(", ");
            }
            pk.append(TableName.quote(a.name())).append(' ').append(sqlType(a.sqlType())).append(" PRIMARY KEY");
        }
        StringBuilder data = new StringBuilder("OBJECT(DYNAMIC)");
        if (!declared.byAttribute().isEmpty()) {
            data.append(" AS (");
            boolean first = true;
            for (Map.Entry<String, DeclaredTypes.DeclaredType> e : declared.byAttribute().entrySet()) {
                if (!first) {
                    data.append(", ");
                }
                first = false;
                data.append(TableName.quote(e.getKey())).append(' ').append(e.getValue().sql);
            }
            data.append(')');
        }
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\"pk\" OBJECT(STRICT) AS (" + pk + "), \"data\" "
                        + data + ", \"aux\" OBJECT(IGNORED), \"version\" TEXT)",
                "CREATE TABLE IF NOT EXISTS " + tombstones.sql()
                        + " (\"key\" TEXT PRIMARY KEY, \"version\" TEXT, \"deleted_at\" TIMESTAMP WITH TIME ZONE)");
    }

    private static String sqlType(KeySchema.SqlKeyType t) {
        return switch (t) {
            case TEXT -> "TEXT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
        };
    }

    private static String pkColumn(String attribute) {
        return "\"pk\"['" + attribute.replace("'", "''") + "']";
    }

    @Override
    public String upsertSql(TableName table, KeySchema keys) {
        StringBuilder conflict = new StringBuilder();
        for (String n : keys.names()) {
            if (conflict.length() > 0) {
                conflict.append(", ");
            }
            conflict.append(pkColumn(n));
        }
        // The stored column must be the FIRST branch: CrateDB gives a CASE the type of its first
        // branch, and an object cast to another object type came back NULL (measured on 6.x):
        // "THEN excluded.data ELSE data" wiped data whenever an older change arrived.
        String older = "\"version\" IS NOT NULL AND excluded.\"version\" < \"version\"";
        return "INSERT INTO " + table.sql() + " (\"pk\", \"data\", \"aux\", \"version\") VALUES (?::OBJECT, ?::OBJECT, ?::OBJECT, ?)"
                + " ON CONFLICT (" + conflict + ") DO UPDATE SET"
                + " \"data\" = CASE WHEN " + older + " THEN \"data\" ELSE excluded.\"data\" END,"
                + " \"aux\" = CASE WHEN " + older + " THEN \"aux\" ELSE excluded.\"aux\" END,"
                + " \"version\" = CASE WHEN " + older + " THEN \"version\" ELSE excluded.\"version\" END";
    }

    @Override
    public void bindUpsert(PreparedStatement ps, PlannedRow.Upsert row) throws SQLException {
        ps.setString(1, row.pkJson());
        ps.setString(2, row.dataJson());
        ps.setString(3, row.auxJson());
        ps.setString(4, row.version());
    }

    @Override
    public String insertIfAbsentSql(TableName table, KeySchema keys) {
        return "INSERT INTO " + table.sql() + " (\"pk\", \"data\", \"aux\", \"version\") VALUES (?::OBJECT, ?::OBJECT, ?::OBJECT, ?)"
                + " ON CONFLICT DO NOTHING";
    }

    private static String keyPredicate(KeySchema keys) {
        StringBuilder sb = new StringBuilder();
        for (String n : keys.names()) {
            if (sb.length() > 0) {
                sb.append(" AND ");
            }
            sb.append(pkColumn(n)).append(" = ?");
        }
        return sb.toString();
    }

    @Override
    public String deleteSql(TableName table, KeySchema keys) {
        return "DELETE FROM " + table.sql() + " WHERE " + keyPredicate(keys);
    }

    @Override
    public void bindDelete(PreparedStatement ps, PlannedRow.Delete row) throws SQLException {
        List<Object> values = row.keyValues();
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }

    @Override
    public String currentVersionsSql(TableName table, KeySchema keys, int count) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (String n : keys.names()) {
            sb.append(pkColumn(n)).append(", ");
        }
        sb.append("\"version\" FROM ").append(table.sql()).append(" WHERE ");
        String one = "(" + keyPredicate(keys) + ")";
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(" OR ");
            }
            sb.append(one);
        }
        return sb.toString();
    }

    /**
     * OR-ed key equalities are planned as a real-time primary-key Get only up to some 50 keys; at
     * 100 the plan became a slow scan that missed fresh rows (measured on 6.4).
     */
    @Override
    public int keysPerVersionLookup() {
        return 40;
    }

    @Override
    public void bindKeyLookup(PreparedStatement ps, KeySchema keys, List<PlannedRow> rows) throws SQLException {
        int p = 1;
        for (PlannedRow r : rows) {
            for (Object v : r.keyValues()) {
                ps.setObject(p++, v);
            }
        }
    }

    @Override
    public String readCanonicalKey(ResultSet rs, KeySchema keys) throws SQLException {
        Map<String, DynamoValue> key = new LinkedHashMap<>();
        List<KeySchema.KeyAttribute> attrs = keys.attributes();
        for (int i = 0; i < attrs.size(); i++) {
            key.put(attrs.get(i).name(), keys.fromSql(attrs.get(i), rs.getObject(i + 1)));
        }
        return ItemKey.of(key).canonical();
    }

    @Override
    public String tombstoneUpsertSql(TableName tombstones) {
        String newer = "\"version\" IS NULL OR excluded.\"version\" > \"version\"";
        return "INSERT INTO " + tombstones.sql() + " (\"key\", \"version\", \"deleted_at\") VALUES (?, ?, ?)"
                + " ON CONFLICT (\"key\") DO UPDATE SET"
                + " \"deleted_at\" = CASE WHEN " + newer + " THEN excluded.\"deleted_at\" ELSE \"deleted_at\" END,"
                + " \"version\" = CASE WHEN " + newer + " THEN excluded.\"version\" ELSE \"version\" END";
    }

    @Override
    public PreparedStatement prepareTombstoneLookup(Connection c, TableName tombstones, List<String> keys)
            throws SQLException {
        // Literals, not parameters: with bound parameters neither IN nor = ANY is planned as a
        // primary-key Get, so a tombstone written a moment ago would be missed (measured on 6.4).
        // Standard string literals: only the quote needs doubling; canonical keys hold no
        // control characters (ItemKey escapes them).
        StringBuilder sql = new StringBuilder("SELECT \"key\", \"version\" FROM ").append(tombstones.sql())
                .append(" WHERE \"key\" IN (");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append('\'').append(keys.get(i).replace("'", "''")).append('\'');
        }
        return c.prepareStatement(sql.append(')').toString());
    }

    @Override
    public String tombstonePurgeSql(TableName tombstones) {
        return "DELETE FROM " + tombstones.sql() + " WHERE \"deleted_at\" < ?";
    }

    @Override
    public ColumnKinds loadColumnKinds(Connection connection, TableName table) throws SQLException {
        ColumnKinds kinds = new ColumnKinds();
        String sql = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.schema() == null ? "doc" : table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String path = ColumnKinds.pathBelow("data", rs.getString(1));
                    ColumnKind kind = path == null ? null : ColumnKinds.fromSqlType(rs.getString(2));
                    if (kind != null) {
                        kinds.put(path, kind);
                    }
                }
            }
        }
        return kinds;
    }
}
