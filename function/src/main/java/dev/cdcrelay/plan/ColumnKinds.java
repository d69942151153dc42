package dev.cdcrelay.plan;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the sink already decided about the types under {@code data}: CrateDB types a dynamic
 * sub-column from the first value ever written and then silently truncates or rejects values of
 * another type. The planner consults this to route a value that would not fit into {@code aux}.
 *
 * <p>Paths are attribute names joined by {@link #SEP}. Not thread-safe: one per writer.
 */
public final class ColumnKinds {

    /** Separator of path segments; a control character no sane attribute name contains. */
    public static final char SEP = '\u001f';

    public static final String TEXT = "text";
    public static final String INTEGRAL = "integral";
    public static final String FLOATING = "floating";
    public static final String BOOLEAN = "boolean";
    public static final String OBJECT = "object";
    /** A type the relay never creates itself (timestamp, geo_point, ...): left to the database. */
    public static final String OTHER = "other";
    public static final String ARRAY_PREFIX = "array:";

    private final Map<String, String> kinds = new HashMap<>();

    public String get(String path) {
        return kinds.get(path);
    }

    public void put(String path, String kind) {
        kinds.put(path, kind);
    }

    public void putIfAbsent(String path, String kind) {
        kinds.putIfAbsent(path, kind);
    }

    public int size() {
        return kinds.size();
    }

    public void clear() {
        kinds.clear();
    }

    public ColumnKinds copy() {
        ColumnKinds c = new ColumnKinds();
        c.kinds.putAll(kinds);
        return c;
    }

    /** The kind of a SQL type name as information_schema reports it (CrateDB or PostgreSQL spelling). */
    public static String fromSqlType(String sqlType) {
        String t = sqlType.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("undefined")) {
            return null; // only nulls or empty arrays so far: the next value decides
        }
        if (t.endsWith("_array")) {
            String element = fromSqlType(t.substring(0, t.length() - "_array".length()));
            return element == null ? null : ARRAY_PREFIX + element;
        }
        if (t.endsWith("[]")) {
            return ARRAY_PREFIX + fromSqlType(t.substring(0, t.length() - 2));
        }
        if (t.startsWith("array(") && t.endsWith(")")) {
            return ARRAY_PREFIX + fromSqlType(t.substring(6, t.length() - 1));
        }
        if (t.startsWith("text") || t.startsWith("character varying") || t.startsWith("varchar")
                || t.equals("string") || t.startsWith("character") || t.equals("char")) {
            return TEXT;
        }
        if (t.equals("bigint") || t.equals("integer") || t.equals("smallint") || t.equals("byte")
                || t.equals("long") || t.equals("int") || t.equals("short") || t.equals("\"char\"")) {
            return INTEGRAL;
        }
        if (t.startsWith("double") || t.equals("real") || t.equals("float") || t.startsWith("numeric")) {
            return FLOATING;
        }
        if (t.equals("boolean")) {
            return BOOLEAN;
        }
        if (t.startsWith("object")) {
            return OBJECT;
        }
        return OTHER;
    }

    /**
     * Parses a CrateDB sub-column name such as {@code data['a']['b']} into the path below the
     * given top column, or null when the name is not below it.
     */
    public static String pathBelow(String top, String columnName) {
        if (!columnName.startsWith(top + "[")) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        int i = top.length();
        while (i < columnName.length()) {
            if (!columnName.startsWith("['", i)) {
                return null;
            }
            int j = i + 2;
            StringBuilder seg = new StringBuilder();
            while (j < columnName.length()) {
                char c = columnName.charAt(j);
                if (c == '\'' && j + 1 < columnName.length() && columnName.charAt(j + 1) == '\'') {
                    seg.append('\'');
                    j += 2;
                } else if (c == '\'') {
                    break;
                } else {
                    seg.append(c);
                    j++;
                }
            }
            if (!columnName.startsWith("']", j)) {
                return null;
            }
            if (path.length() > 0) {
                path.append(SEP);
            }
            path.append(seg);
            i = j + 2;
        }
        return path.length() == 0 ? null : path.toString();
    }
}
