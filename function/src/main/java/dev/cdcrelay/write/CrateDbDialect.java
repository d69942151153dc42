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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** U+0001, between the values of {@link #anyOfLiteral}. */
    private static final char SEPARATOR = '\u0001';

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
                tombstoneDdl(tombstones));
    }

    private static String tombstoneDdl(TableName tombstones) {
        return "CREATE TABLE IF NOT EXISTS " + tombstones.sql()
                + " (\"key\" TEXT PRIMARY KEY, \"version\" TEXT, \"deleted_at\" TIMESTAMP WITH TIME ZONE)";
    }

    @Override
    public ExpectedLayout expectedLayout(TableName table, KeySchema keys, DeclaredTypes declared) {
        List<ExpectedLayout.ExpectedColumn> columns = new ArrayList<>();
        List<String> primaryKey = new ArrayList<>();
        columns.add(ExpectedLayout.column("pk", "pk OBJECT(STRICT) AS (<key attributes> PRIMARY KEY)", "object"));
        for (KeySchema.KeyAttribute a : keys.attributes()) {
            String name = "pk['" + a.name() + "']";
            columns.add(ExpectedLayout.column(name, name + " " + sqlType(a.sqlType()), catalogTypes(a.sqlType())));
            primaryKey.add("pk"); // key_column_usage names a key below an object by the object (measured on 6.4.3)
        }
        columns.add(ExpectedLayout.column("data", "data OBJECT(DYNAMIC)", "object"));
        columns.add(ExpectedLayout.column("aux", "aux OBJECT(IGNORED)", "object"));
        columns.add(ExpectedLayout.addableColumn("version", "version TEXT", TEXT_TYPES));
        return new ExpectedLayout(columns, primaryKey, Set.of("pk"), createTables(table, table, keys, declared).get(0));
    }

    @Override
    public ExpectedLayout expectedTombstoneLayout(TableName tombstones) {
        return new ExpectedLayout(List.of(
                ExpectedLayout.column("key", "key TEXT PRIMARY KEY", TEXT_TYPES),
                ExpectedLayout.column("version", "version TEXT", TEXT_TYPES),
                ExpectedLayout.column("deleted_at", "deleted_at TIMESTAMP WITH TIME ZONE",
                        "timestamp with time zone", "timestamp without time zone")),
                List.of("key"), Set.of(), tombstoneDdl(tombstones));
    }

    private static final String[] TEXT_TYPES = {"text", "character varying", "varchar", "string"};

    private static String[] catalogTypes(KeySchema.SqlKeyType t) {
        return switch (t) {
            case TEXT -> TEXT_TYPES;
            case BIGINT -> new String[]{"bigint", "integer"};
            case DOUBLE -> new String[]{"double precision", "real"};
        };
    }

    /**
     * Existing rows get {@code version = ''}, which sorts before every version the relay writes
     * (they are digits), so any change replaces them. The DEFAULT covers rows the old processor
     * still inserts during a cut-over, but not the rows already there (they read NULL after ADD
     * COLUMN ... DEFAULT, measured on 6.4.3): hence the UPDATE. REFRESH first: the UPDATE is a
     * search and would miss rows written in the last second. ADD COLUMN works on a table with
     * {@code column_policy = 'strict'} (measured).
     */
    @Override
    public List<String> addVersionColumn(TableName table) {
        List<String> statements = new ArrayList<>();
        statements.add("ALTER TABLE " + table.sql() + " ADD COLUMN \"version\" TEXT DEFAULT ''");
        statements.addAll(backfillVersion(table));
        return statements;
    }

    @Override
    public List<String> backfillVersion(TableName table) {
        return List.of("REFRESH TABLE " + table.sql(),
                "UPDATE " + table.sql() + " SET \"version\" = '' WHERE \"version\" IS NULL");
    }

    @Override
    public String grantStatement(TableName table, TableName tombstones) {
        return "GRANT DQL, DML, DDL ON TABLE " + table.sql() + " TO <user>; GRANT DQL, DML, DDL ON TABLE "
                + tombstones.sql() + " TO <user> (DDL only while the relay creates or adopts the tables)";
    }

    /** A table's blocks are settings in {@code information_schema.tables} (measured on 6.4). */
    @Override
    public Optional<String> writeBlocks(Connection connection, TableName table) throws SQLException {
        String sql = "SELECT settings['blocks']['write'], settings['blocks']['read_only'],"
                + " settings['blocks']['read_only_allow_delete'] FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, TableLayout.schemaOf(connection, table));
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> set = new ArrayList<>();
                String[] names = {"blocks.write", "blocks.read_only", "blocks.read_only_allow_delete"};
                for (int i = 0; i < names.length; i++) {
                    if (rs.getBoolean(i + 1)) {
                        set.add(names[i]);
                    }
                }
                return set.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", set));
            }
        }
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
        // A stored NULL version makes the comparison NULL, which a CASE takes as not true: the
        // incoming change wins, as it must. No "IS NOT NULL AND" for it: CrateDB evaluates each
        // assignment's expression tree row by row, and three functions fewer per CASE cut the
        // guard's cost to the database from ~13-17 % over an unguarded upsert to ~1-4 % (CPU of
        // the CrateDB process, docs/performance-log.md "The guarded statements").
        String older = "excluded.\"version\" < \"version\"";
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

    /**
     * CrateDB plans a prepared statement once, at Parse, and sends each row's {@code data} to a
     * shard on another node encoded with the object type it had then: a sub-column it did not know
     * goes untyped. The receiving node decodes with the column's type as it is when the row
     * arrives, so a sub-column some writer added after the Parse is misread (6.4.3,
     * {@code ShardUpsertRequest(Schemas, StreamInput)} resolves {@code data} by OID to the current
     * type; {@code ObjectType.readValueFrom}): the row is refused with rowcount 0, or garbage is
     * stored with rowcount 1 (measured on a 3-node cluster; docs/proof.md). pgjdbc server-prepares
     * a text at its first batch of two rows and keeps that statement for the connection's life,
     * so the same text would carry a plan from the connection's first batch. A comment makes a
     * new text, parsed again.
     */
    @Override
    public String parsedAfter(String sql, String tag) {
        return sql + " /* " + tag + " */";
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

    /**
     * Optimistic concurrency: the row is deleted only if it is still exactly the state a
     * primary-key read returned ({@code _seq_no}, {@code _primary_term}); CrateDB has no WHERE on
     * other columns that is both atomic and real-time for a delete by primary key.
     */
    @Override
    public String deleteUnlessNewerSql(TableName table, KeySchema keys) {
        return "DELETE FROM " + table.sql() + " WHERE " + keyPredicate(keys) + " AND \"_seq_no\" = ? AND \"_primary_term\" = ?";
    }

    @Override
    public void bindDeleteUnlessNewer(PreparedStatement ps, PlannedRow.Delete row, StoredRow seen)
            throws SQLException {
        int p = 1;
        for (Object v : row.keyValues()) {
            ps.setObject(p++, v);
        }
        for (Object v : seen.revision()) {
            ps.setObject(p++, v);
        }
    }

    /** By primary key and revision, as the delete: a real-time update by id (measured on 6.4.3). */
    @Override
    public Optional<String> updateByRevisionSql(TableName table, KeySchema keys) {
        return Optional.of("UPDATE " + table.sql() + " SET \"data\" = ?::OBJECT, \"aux\" = ?::OBJECT, \"version\" = ?"
                + " WHERE " + keyPredicate(keys) + " AND \"_seq_no\" = ? AND \"_primary_term\" = ?");
    }

    @Override
    public void bindUpdateByRevision(PreparedStatement ps, PlannedRow.Upsert row, StoredRow seen) throws SQLException {
        ps.setString(1, row.dataJson());
        ps.setString(2, row.auxJson());
        ps.setString(3, row.version());
        int p = 4;
        for (Object v : row.keyValues()) {
            ps.setObject(p++, v);
        }
        for (Object v : seen.revision()) {
            ps.setObject(p++, v);
        }
    }

    @Override
    public String currentVersionsSql(TableName table, KeySchema keys, int count) {
        StringBuilder sb = selectVersions(table, keys);
        String one = "(" + keyPredicate(keys) + ")";
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(" OR ");
            }
            sb.append(one);
        }
        return sb.toString();
    }

    private static StringBuilder selectVersions(TableName table, KeySchema keys) {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (String n : keys.names()) {
            sb.append(pkColumn(n)).append(", ");
        }
        return sb.append("\"version\", \"_seq_no\", \"_primary_term\" FROM ").append(table.sql()).append(" WHERE ");
    }

    /**
     * One real-time get of up to a thousand rows by {@code _id} ({@link #anyOfLiteral}). Measured on
     * 6.4.3: the plan is {@code Get[... DocKeys{...}]} for composite and single keys alike.
     */
    @Override
    public Optional<PreparedStatement> prepareVersionLookupById(Connection c, TableName table, KeySchema keys,
                                                                List<? extends PlannedRow> rows) throws SQLException {
        List<String> ids = new ArrayList<>(rows.size());
        for (PlannedRow row : rows) {
            CrateDbRowId.of(row.keyValues()).ifPresent(ids::add);
        }
        return ids.isEmpty() ? Optional.empty()
                : Optional.of(c.prepareStatement(anyOfLiteral(selectVersions(table, keys), "\"_id\"", ids)));
    }

    /**
     * {@code column = ANY(string_to_array('<v1>|<v2>|...', E'|'))}, where {@code |} stands for
     * U+0001: a real-time primary-key get of the given values, in one string literal.
     *
     * <p>Literals, because with a bound parameter CrateDB plans neither this nor {@code IN} as a get
     * but as a search, which misses rows written a moment ago (measured on 6.4). One literal rather
     * than {@code IN ('<v1>', '<v2>', ...)}, which CrateDB plans as the same get: parsing a thousand
     * literals is about a fifth of the read's cost (1,000 ids: 17.8 against 21.8 ms of the
     * database's CPU, docs/performance-log.md, "Probes of this round"). No value holds a control
     * character ({@link CrateDbRowId} names no row by one; {@link ItemKey} escapes them), so none
     * holds the separator, and in a standard string literal only the quote needs doubling.
     */
    private static String anyOfLiteral(StringBuilder sql, String column, List<String> values) {
        sql.append(column).append(" = ANY(string_to_array('");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql.append(SEPARATOR);
            }
            sql.append(values.get(i).replace("'", "''"));
        }
        return sql.append("', E'\\u0001'))").toString(); // the separator, escaped
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
    public StoredRow readStoredRow(ResultSet rs, KeySchema keys) throws SQLException {
        int version = keys.attributes().size() + 1;
        return new StoredRow(rs.getString(version), List.of(rs.getLong(version + 1), rs.getLong(version + 2)));
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
        // A real-time get, so that a tombstone written a moment ago is found (anyOfLiteral).
        StringBuilder sql = new StringBuilder("SELECT \"key\", \"version\" FROM ").append(tombstones.sql())
                .append(" WHERE ");
        return c.prepareStatement(anyOfLiteral(sql, "\"key\"", keys));
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
