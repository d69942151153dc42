package dev.cdcrelay.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A possibly schema-qualified table name as the operator writes it ({@code demo-sink},
 * {@code doc.demo-sink}, {@code "my.schema"."t"}), rendered as safely quoted SQL.
 */
public record TableName(String schema, String table) {

    public TableName {
        Objects.requireNonNull(table, "table");
        if (table.isEmpty()) {
            throw new IllegalArgumentException("table name is empty");
        }
        if (schema != null && schema.isEmpty()) {
            throw new IllegalArgumentException("schema name is empty");
        }
    }

    /**
     * Parses {@code [schema.]table}; either part may be double-quoted (then it may contain dots,
     * and {@code ""} stands for one quote). Unquoted names are taken as written (not lower-cased),
     * because CrateDB and PostgreSQL users name tables like {@code demo-sink}.
     */
    public static TableName parse(String spec, String settingName) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(settingName + " is empty; give a table name such as demo-sink or doc.demo-sink");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String s = spec.trim();
        int i = 0;
        boolean quotedPart = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' && cur.length() == 0 && !quotedPart) {
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw new IllegalArgumentException(settingName + ": unterminated quote in '" + spec + "'");
                    }
                    if (s.charAt(j) == '"') {
                        if (j + 1 < s.length() && s.charAt(j + 1) == '"') {
                            cur.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    cur.append(s.charAt(j++));
                }
                quotedPart = true;
                i = j + 1;
                if (i < s.length() && s.charAt(i) != '.') {
                    throw new IllegalArgumentException(settingName + ": unexpected text after a quoted name in '" + spec + "'");
                }
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
                quotedPart = false;
                i++;
            } else {
                if (quotedPart) {
                    throw new IllegalArgumentException(settingName + ": unexpected text after a quoted name in '" + spec + "'");
                }
                cur.append(c);
                i++;
            }
        }
        parts.add(cur.toString());
        if (parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(settingName + ": '" + spec
                    + "' is not [schema.]table (quote names that contain dots: \"my.schema\".\"t\")");
        }
        return parts.size() == 1 ? new TableName(null, parts.get(0)) : new TableName(parts.get(0), parts.get(1));
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Quoted SQL, e.g. {@code "doc"."demo-sink"}. */
    public String sql() {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /** A sibling table in the same schema, e.g. the tombstone table. */
    public TableName withTable(String otherTable) {
        return new TableName(schema, otherTable);
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
