package dev.cdcrelay.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A possibly schema-qualified table name as the operator writes it ({@code demo-sink},
 * {@code doc.demo-sink}, {@code "Doc-2"."T"}), rendered as safely quoted SQL.
 *
 * <p>Lives in the settings module (package kept, so the writer's code is unchanged) because the
 * stack checks CRATEDB_TABLE with exactly these rules before it deploys anything.
 */
public record TableName(String schema, String table) {

    /** PostgreSQL keeps 63 bytes of an identifier and silently cuts the rest (NAMEDATALEN - 1). */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    // CrateDB 6.4 refuses these in a relation name (RelationName: '.'; IndexName.validate:
    // Strings.INVALID_FILENAME_CHARS and '#'): "Relation name '...' is invalid".
    private static final String CRATEDB_FORBIDDEN = ".\\/*?\"<>| ,#";
    // CrateDB: schemas nobody may create tables in.
    private static final Set<String> READ_ONLY_SCHEMAS = Set.of("sys", "information_schema", "pg_catalog");

    public TableName {
        Objects.requireNonNull(table, "table");
        if (table.isEmpty()) {
            throw new IllegalArgumentException("table name is empty");
        }
        if (schema != null && schema.isEmpty()) {
            throw new IllegalArgumentException("schema name is empty");
        }
    }

    /** {@link #parse(String)} with errors that start with the setting's name. */
    public static TableName parse(String spec, String settingName) {
        try {
            return parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settingName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code [schema.]table}; either part may be double-quoted ({@code ""} stands for one
     * quote). Unquoted names are taken as written (not lower-cased), because CrateDB and PostgreSQL
     * users name tables like {@code demo-sink}. A name that CrateDB or PostgreSQL would refuse or
     * change is refused here (see {@link #refusal()}): the sink may be either.
     *
     * @throws IllegalArgumentException with the reason, not naming the setting
     */
    public static TableName parse(String spec) {
        TableName name = split(spec);
        name.refusal().ifPresent(reason -> {
            throw new IllegalArgumentException("'" + spec.trim() + "' " + reason);
        });
        return name;
    }

    private static TableName split(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("is empty; give a table name such as demo-sink or doc.demo-sink");
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
                        throw new IllegalArgumentException("has an unterminated quote: '" + spec + "'");
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
                    throw new IllegalArgumentException("has text after a quoted name: '" + spec + "'");
                }
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
                quotedPart = false;
                i++;
            } else {
                if (quotedPart) {
                    throw new IllegalArgumentException("has text after a quoted name: '" + spec + "'");
                }
                cur.append(c);
                i++;
            }
        }
        parts.add(cur.toString());
        if (parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + spec + "' is not [schema.]table");
        }
        return parts.size() == 1 ? new TableName(null, parts.get(0)) : new TableName(parts.get(0), parts.get(1));
    }

    /**
     * Why CrateDB or PostgreSQL would refuse this name, or cut it; empty when both take it as is.
     * From CrateDB 6.4's source (RelationName, IndexName.validate, Schemas) and PostgreSQL's
     * identifier rules.
     */
    public Optional<String> refusal() {
        for (String part : schema == null ? List.of(table) : List.of(schema, table)) {
            var reason = partRefusal(part);
            if (reason.isPresent()) {
                return reason;
            }
        }
        // CrateDB's index name is the table's name in schema doc, else schema.table: it must not start so.
        String indexName = schema == null || schema.equals("doc") ? table : schema;
        if (indexName.startsWith("-") || indexName.startsWith("+")) {
            return Optional.of("starts with '-' or '+', which CrateDB refuses");
        }
        if (schema != null && READ_ONLY_SCHEMAS.contains(schema)) {
            return Optional.of("is in CrateDB's read-only schema " + schema);
        }
        return Optional.empty();
    }

    private static Optional<String> partRefusal(String part) {
        for (char c : part.toCharArray()) {
            if (CRATEDB_FORBIDDEN.indexOf(c) >= 0) {
                return Optional.of("contains '" + c + "'; CrateDB refuses " + describeForbidden() + " in a name");
            }
            if (c == 0) {
                return Optional.of("contains a NUL character, which PostgreSQL refuses");
            }
        }
        if (part.toLowerCase(Locale.ROOT).equals("_all")) {
            return Optional.of("uses '_all', which CrateDB refuses as a name");
        }
        int bytes = part.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IDENTIFIER_BYTES) {
            return Optional.of("has a part of " + bytes + " bytes; PostgreSQL cuts names after "
                    + MAX_IDENTIFIER_BYTES + " bytes");
        }
        return Optional.empty();
    }

    private static String describeForbidden() {
        var listed = new StringBuilder();
        for (char c : CRATEDB_FORBIDDEN.toCharArray()) {
            listed.append(listed.length() == 0 ? "" : " ").append(c == ' ' ? "blanks" : String.valueOf(c));
        }
        return listed.toString();
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

    // Written out, not left to the record: the generated ones are linked through
    // ObjectMethods.bootstrap on first use, and that first TableName.equals (table set-up, on
    // every cold start) took 30-60 ms on a 2-CPU machine (docs/performance.md, "The launch").
    @Override
    public boolean equals(Object other) {
        return other instanceof TableName that && Objects.equals(schema, that.schema) && table.equals(that.table);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(schema) + table.hashCode();
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
