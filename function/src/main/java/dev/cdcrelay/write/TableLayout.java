package dev.cdcrelay.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table's columns and primary key as {@code information_schema} reports them, read the same way
 * on PostgreSQL and CrateDB. On CrateDB an object's sub-columns are rows of their own, named
 * {@code pk['device']}, and so are the primary-key columns in {@code key_column_usage}.
 *
 * @param columns     by name, in table order; types lower-case as the catalog spells them
 * @param primaryKey  the primary-key columns, in key order
 */
public record TableLayout(Map<String, Column> columns, List<String> primaryKey) {

    /** One column: its catalog type, and whether an insert that leaves it out is accepted. */
    public record Column(String name, String dataType, boolean nullable, boolean hasDefault) {
    }

    public TableLayout {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns)); // table order, for messages
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<Column> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /**
     * Reads the table; empty when the catalog shows no such table. PostgreSQL lists only tables the
     * user holds some privilege on, so "empty" means missing or out of reach.
     */
    public static Optional<TableLayout> read(Connection c, TableName table, SinkDialect dialect) throws SQLException {
        String schema = schemaOf(c, table);
        Map<String, Column> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, is_nullable, column_default"
                + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.put(name, new Column(name, lower(rs.getString(2)), isYes(rs.getString(3)),
                            rs.getString(4) != null));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableLayout(columns, dialect.primaryKey(c, schema, table.table())));
    }

    /**
     * The primary-key columns by {@code information_schema}. PostgreSQL shows constraints only to
     * users with more than SELECT on the table, so its dialect asks {@code pg_index} instead.
     */
    static List<String> primaryKeyFromInformationSchema(Connection c, String schema, String table) throws SQLException {
        List<String> constraints = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT constraint_name FROM information_schema.table_constraints"
                + " WHERE table_schema = ? AND table_name = ? AND constraint_type = 'PRIMARY KEY'")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    constraints.add(rs.getString(1));
                }
            }
        }
        List<String> key = new ArrayList<>();
        for (String constraint : constraints) {
            try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.key_column_usage"
                    + " WHERE table_schema = ? AND table_name = ? AND constraint_name = ? ORDER BY ordinal_position")) {
                ps.setString(1, schema);
                ps.setString(2, table);
                ps.setString(3, constraint);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        key.add(rs.getString(1));
                    }
                }
            }
        }
        return key;
    }

    /** The schema an unqualified name resolves to: the session's current schema on both sinks. */
    static String schemaOf(Connection c, TableName table) throws SQLException {
        if (table.schema() != null) {
            return table.schema();
        }
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            if (rs.next() && rs.getString(1) != null) {
                return rs.getString(1);
            }
        }
        throw new SQLException("the sink reports no current schema; qualify CRATEDB_TABLE (schema.table)", "3F000");
    }

    private static boolean isYes(String s) {
        return s == null || s.equalsIgnoreCase("YES") || s.equalsIgnoreCase("true");
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
