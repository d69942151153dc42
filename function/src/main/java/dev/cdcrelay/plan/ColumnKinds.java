package dev.cdcrelay.plan;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.JsonStrings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * What the sink already decided about the types under {@code data}: CrateDB types a dynamic
 * sub-column from the first value ever written and then silently truncates or rejects values of
 * another type. The planner consults this to route a value that would not fit into {@code aux}.
 *
 * <p>Kept as a tree of sub-columns; paths in the text API are attribute names joined by
 * {@link #SEP}. Not thread-safe: one per writer.
 */
public final class ColumnKinds {

    /** Separator of path segments; a control character no sane attribute name contains. */
    public static final char SEP = '\u001f';

    public static final ColumnKind TEXT = ColumnKind.Kind.TEXT;
    public static final ColumnKind INTEGRAL = ColumnKind.Kind.INTEGRAL;
    public static final ColumnKind FLOATING = ColumnKind.Kind.FLOATING;
    public static final ColumnKind BOOLEAN = ColumnKind.Kind.BOOLEAN;
    public static final ColumnKind OBJECT = ColumnKind.Kind.OBJECT;
    /** A type the relay never creates itself (timestamp, geo_point, ...): left to the database. */
    public static final ColumnKind OTHER = ColumnKind.Kind.OTHER;

    private static final int SCANNED = 8;

    /** The top of the tree: its children are the top-level attributes. */
    private final Column top = new Column("");
    /** How many columns have a kind. */
    private int size;
    /** Changes since the oldest open {@link #mark()}, to undo; empty while no mark is open. */
    private final ArrayList<Undo> journal = new ArrayList<>();
    private int openMarks;

    /**
     * One sub-column of {@code data}, found by walking attribute names from the top, so that no
     * path text is built per value. Its kind is null until a value or the sink decides it.
     */
    static final class Column {
        private final String name;
        /** {@link CrateDbColumnRules#validName} of the name, judged once per column, not per value. */
        private final boolean validName;
        /** The name as a JSON field name, {@code "name":}, and after a comma; made when first written. */
        private String fieldName;
        private String nextFieldName;
        /** {@code nextFieldName} as Latin-1 bytes, or null if a char of it is beyond Latin-1. */
        private byte[] fieldBytes;
        private ColumnKind kind;
        /** Sub-columns: the first {@value #SCANNED} in an array, scanned; a hash map beyond. */
        private Column[] small;
        private int smallCount;
        /**
         * Where the scan starts: just after the child found last. Rows of one table list their
         * attributes in the same order, so the next child asked for is mostly the next one.
         */
        private int nextHint;
        private HashMap<String, Column> children;

        private Column(String name) {
            this.name = name;
            this.validName = CrateDbColumnRules.validName(name);
        }

        boolean hasValidName() {
            return validName;
        }

        private void add(Column child) {
            if (smallCount < SCANNED) {
                if (small == null) {
                    small = new Column[SCANNED];
                }
                small[smallCount++] = child;
                return;
            }
            if (children == null) {
                children = new HashMap<>(16);
            }
            children.put(child.name, child);
        }

        private void remove(String childName) {
            if (children != null && children.remove(childName) != null) {
                return;
            }
            for (int i = 0; i < smallCount; i++) {
                if (small[i].name.equals(childName)) {
                    System.arraycopy(small, i + 1, small, i, smallCount - i - 1);
                    small[--smallCount] = null;
                    nextHint = 0;
                    return;
                }
            }
        }

        /** The name as a JSON field name, {@code "name":}, or {@code ,"name":} after another field. */
        String fieldName(boolean afterField) {
            spell();
            return afterField ? nextFieldName : fieldName;
        }

        /** {@code ,"name":} as Latin-1 bytes (from offset 1 without the comma), or null beyond Latin-1. */
        byte[] fieldBytes() {
            spell();
            return fieldBytes;
        }

        private void spell() {
            if (fieldName == null) {
                StringBuilder sb = new StringBuilder(name.length() + 4).append(',');
                JsonStrings.appendQuoted(sb, name);
                nextFieldName = sb.append(':').toString();
                boolean latin1 = true;
                for (int i = 0; i < nextFieldName.length(); i++) {
                    latin1 &= nextFieldName.charAt(i) <= 0xFF;
                }
                fieldBytes = latin1 ? nextFieldName.getBytes(StandardCharsets.ISO_8859_1) : null;
                fieldName = nextFieldName.substring(1);
            }
        }

        ColumnKind kind() {
            return kind;
        }

        /** The sub-column {@code name} below this one, or null if none was ever made. */
        Column find(String name) {
            // Names of decoded records come from a name cache: mostly the very same instance.
            int count = smallCount;
            for (int k = 0, i = nextHint; k < count; k++, i++) {
                if (i >= count) {
                    i = 0;
                }
                if (small[i].name == name) {
                    nextHint = i + 1;
                    return small[i];
                }
            }
            for (int i = 0; i < smallCount; i++) {
                if (small[i].name.equals(name)) {
                    return small[i];
                }
            }
            return children == null ? null : children.get(name);
        }
    }

    /** An undoable change: a kind set on {@code column}, or {@code childName} made below {@code column}. */
    private record Undo(Column column, ColumnKind previousKind, String childName) {
    }

    Column top() {
        return top;
    }

    /** Every column with a kind, one {@code path=kind} line each (segments joined by '/'), sorted. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        describe(top, "", lines);
        lines.sort(null);
        return String.join("\n", lines);
    }

    private static void describe(Column column, String path, List<String> lines) {
        List<Column> below = new ArrayList<>();
        for (int i = 0; i < column.smallCount; i++) {
            below.add(column.small[i]);
        }
        if (column.children != null) {
            below.addAll(column.children.values());
        }
        for (Column c : below) {
            String at = path.isEmpty() ? c.name : path + "/" + c.name;
            if (c.kind != null) {
                lines.add(at + "=" + c.kind);
            }
            describe(c, at, lines);
        }
    }

    /** The sub-column {@code name} below {@code parent}, made (without a kind) if new. */
    Column child(Column parent, String name) {
        Column c = parent.find(name);
        if (c == null) {
            c = new Column(name);
            parent.add(c);
            if (openMarks > 0) {
                journal.add(new Undo(parent, null, name));
            }
        }
        return c;
    }

    void setKind(Column column, ColumnKind kind) {
        if (openMarks > 0) {
            journal.add(new Undo(column, column.kind, null));
        }
        if (column.kind == null) {
            size++;
        }
        column.kind = kind;
    }

    /** Starts recording changes; {@link #rollback} or {@link #keep} ends it. */
    int mark() {
        openMarks++;
        return journal.size();
    }

    /** Undoes every change since {@code mark}. */
    void rollback(int mark) {
        for (int i = journal.size() - 1; i >= mark; i--) {
            Undo u = journal.remove(i);
            if (u.childName != null) {
                u.column.remove(u.childName);
            } else {
                if (u.previousKind == null && u.column.kind != null) {
                    size--;
                }
                u.column.kind = u.previousKind;
            }
        }
        openMarks--;
    }

    /** Keeps the changes since {@code mark}. */
    void keep(int mark) {
        openMarks--;
        if (openMarks == 0) {
            journal.clear();
        }
    }

    /**
     * Records the kinds a value creates, as CrateDB would on writing it at {@code column}: the
     * first value written to a column decides its kind. Lists take the kind of their first typable
     * element; objects in a list share the list's sub-columns.
     */
    void record(Column column, DynamoValue v) {
        recordOwn(column, v);
        if (v instanceof DynamoValue.MapValue m) {
            AttributeMap fields = AttributeMap.of(m.entries());
            for (int i = 0, n = fields.size(); i < n; i++) {
                record(child(column, fields.nameAt(i)), fields.valueAt(i));
            }
        } else if (v instanceof DynamoValue.ListValue l) {
            for (DynamoValue e : l.elements()) {
                if (e instanceof DynamoValue.MapValue m) {
                    AttributeMap fields = AttributeMap.of(m.entries());
                    for (int i = 0, n = fields.size(); i < n; i++) {
                        record(child(column, fields.nameAt(i)), fields.valueAt(i));
                    }
                }
            }
        }
    }

    /** As {@link #record}, for the column itself only (not what lies below it). */
    void recordOwn(Column column, DynamoValue v) {
        if (v == DynamoValue.Null.INSTANCE || column.kind != null) {
            return;
        }
        if (v instanceof DynamoValue.ListValue l) {
            List<DynamoValue> elements = l.elements();
            for (int i = 0, count = elements.size(); i < count; i++) {
                DynamoValue e = elements.get(i);
                ColumnKind k = e == DynamoValue.Null.INSTANCE ? null : CrateDbColumnRules.valueKind(e);
                if (k != null) {
                    setKind(column, new ColumnKind.ArrayOf(k));
                    return;
                }
            }
            return;
        }
        setKind(column, CrateDbColumnRules.valueKind(v));
    }

    /** The kind at a path of names joined by {@link #SEP}; null if unknown. */
    public ColumnKind get(String path) {
        Column c = top;
        int from = 0;
        while (c != null) {
            int to = path.indexOf(SEP, from);
            String name = to < 0 ? path.substring(from) : path.substring(from, to);
            c = c.find(name);
            if (to < 0) {
                break;
            }
            from = to + 1;
        }
        return c == null ? null : c.kind;
    }

    public void put(String path, ColumnKind kind) {
        Column c = top;
        for (String name : path.split(String.valueOf(SEP), -1)) {
            c = child(c, name);
        }
        setKind(c, kind);
    }

    public int size() {
        return size;
    }

    /** The kind of a SQL type name as information_schema reports it (CrateDB or PostgreSQL spelling). */
    public static ColumnKind fromSqlType(String sqlType) {
        String t = sqlType.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("undefined")) {
            return null; // only nulls or empty arrays so far: the next value decides
        }
        if (t.endsWith("_array")) {
            ColumnKind element = fromSqlType(t.substring(0, t.length() - "_array".length()));
            return element == null ? null : new ColumnKind.ArrayOf(element);
        }
        if (t.endsWith("[]")) {
            return arrayOf(fromSqlType(t.substring(0, t.length() - 2)));
        }
        if (t.startsWith("array(") && t.endsWith(")")) {
            return arrayOf(fromSqlType(t.substring(6, t.length() - 1)));
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

    /** An array of {@code element}; an array of a still undefined type is undefined too. */
    private static ColumnKind arrayOf(ColumnKind element) {
        return element == null ? null : new ColumnKind.ArrayOf(element);
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
