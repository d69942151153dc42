package dev.cdcrelay.write;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ImageReader;
import dev.cdcrelay.decode.RawImage;
import dev.cdcrelay.plan.ColumnKinds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sub-columns of {@code data} that the sink table is known to have, as its catalog listed them
 * (CrateDB; PostgreSQL has none): the witness that a row's document can go straight to the guarded
 * upsert. CrateDB 6.4 wipes a kept row's {@code data} when the losing document of a guarded upsert
 * brings a sub-column the table does not have yet (measured; see
 * {@link SinkDialect#insertsBeforeGuardedUpsert}), and insert-if-absent first avoids it by creating
 * the sub-columns. A document whose every sub-column is already in the table changes no mapping,
 * so that step adds nothing for it but a second statement.
 *
 * <p>Only what the catalog said is taken as known, never what this writer planned or sent (a
 * statement can fail after planning). The table's columns only grow while the relay runs (the
 * relay never drops any; a table dropped and created again starts a new {@link SinkSession}
 * preparation, which starts a new instance), so what was read once stays true, and the catalog
 * is read again only when a batch brings a sub-column not known yet. (An operator who drops a
 * sub-column of {@code data} by hand while relays run must restart them: until then they take it
 * as present.)
 *
 * <p>A column CrateDB created for a null or an empty list has type {@code undefined}: it is known
 * for a null or an empty list, and unknown for a typed value (typing it changes the mapping too).
 */
final class SubColumns {

    /** One sub-column; {@code typed} is false for CrateDB's {@code undefined} / {@code undefined_array}. */
    private static final class Column {
        private boolean typed;
        private Map<String, Column> children;

        Column child(String name) {
            return children == null ? null : children.get(name);
        }

        Column make(String name) {
            if (children == null) {
                children = new HashMap<>(8);
            }
            return children.computeIfAbsent(name, n -> new Column());
        }
    }

    /**
     * Sub-columns other writers made are looked for at most once a second (a catalog read costs
     * ~5 ms, and a row with an attribute that never reaches {@code data}, e.g. one always diverted
     * to {@code aux}, stays unknown for good).
     */
    private static final long REREAD_AFTER_NANOS = 1_000_000_000L;

    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final AtomicLong FRESH = new AtomicLong();

    private final Column data = new Column();
    /** Tells this instance's statements from those of an instance for an earlier table of the same name. */
    private final long instance = INSTANCES.incrementAndGet();
    private long generation;
    private long lastReadNanos;
    private boolean everRead;
    private boolean wroteUnknownSinceRead;

    /**
     * Whether a catalog read may tell more: never read yet, this writer wrote rows with unknown
     * sub-columns since (which made them), or the last read is a second old.
     */
    boolean readDue() {
        return !everRead || wroteUnknownSinceRead || System.nanoTime() - lastReadNanos >= REREAD_AFTER_NANOS;
    }

    /** This writer sent rows with sub-columns not known yet (insert-if-absent makes them). */
    void wroteUnknown() {
        wroteUnknownSinceRead = true;
    }

    /**
     * Names what is known now: it changes each time a catalog read finds a sub-column (or a type)
     * not known before, so a statement sent under it was parsed after that read and its plan has
     * every sub-column {@link #cover} takes as known ({@link SinkDialect#parsedAfter}).
     */
    String knownTag() {
        return "schema " + instance + "." + generation;
    }

    /** A tag never used before: for a statement whose rows bring sub-columns not known yet. */
    static String freshTag() {
        return "parse " + FRESH.incrementAndGet();
    }

    /** Whether every sub-column the image's attributes make exists in the table with a type that takes them. */
    boolean cover(Map<String, DynamoValue> image) {
        if (image instanceof RawImage raw) {
            ImageReader r = raw.reader();   // the same walk on the bytes: the image is not built for it
            r.startObject();
            return fieldsCovered(data, r);
        }
        return fieldsCovered(data, image);
    }

    /** As {@link #fieldsCovered(Column, Map)}, on the fields next in {@code r} (its object started). */
    private static boolean fieldsCovered(Column parent, ImageReader r) {
        while (r.hasNext()) {
            if (!covers(parent.child(r.name()), r)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #covers(Column, DynamoValue)}, on the value object next in {@code r}; past it if true. */
    private static boolean covers(Column column, ImageReader r) {
        if (column == null) {
            return false;
        }
        switch (r.type()) {
            case NULL -> r.skipRest();
            case M -> {
                r.startObject();
                if (!column.typed || !fieldsCovered(column, r)) {
                    return false;
                }
                r.endValue();
            }
            case L -> {
                r.startArray();
                if (r.hasNext() && (!column.typed || !elementsCovered(column, r))) {
                    return false;   // a list that is not empty needs a typed column
                }
                r.endValue();
            }
            case SS, NS, BS -> {
                r.startArray();
                if (r.hasNext()) {
                    if (!column.typed) {
                        return false;
                    }
                    do {
                        r.text();
                    } while (r.hasNext());
                }
                r.endValue();
            }
            default -> {
                if (!column.typed) {
                    return false;   // a scalar types the column
                }
                r.skipRest();
            }
        }
        return true;
    }

    /** As {@link #elementsCovered(Column, DynamoValue.ListValue)}, on a list's elements, the first one next in {@code r}. */
    private static boolean elementsCovered(Column column, ImageReader r) {
        do {
            switch (r.type()) {
                case M -> {
                    r.startObject();
                    if (!fieldsCovered(column, r)) {
                        return false;
                    }
                    r.endValue();
                }
                case L -> {
                    r.startArray();
                    if (r.hasNext() && !elementsCovered(column, r)) {
                        return false;
                    }
                    r.endValue();
                }
                default -> r.skipRest();
            }
        } while (r.hasNext());
        return true;
    }

    /** Whether each of the fields is covered by the sub-column of {@code parent} of its name. */
    private static boolean fieldsCovered(Column parent, Map<String, DynamoValue> fields) {
        // By index: an entry per attribute of every row is what AttributeMap's entrySet() would make.
        AttributeMap attributes = AttributeMap.of(fields);
        for (int i = 0, n = attributes.size(); i < n; i++) {
            if (!covers(parent.child(attributes.nameAt(i)), attributes.valueAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** CrateDB's dynamic mapping: maps make sub-columns; a list's maps share the list column's sub-columns. */
    private static boolean covers(Column column, DynamoValue v) {
        if (column == null) {
            return false;
        }
        if (v == DynamoValue.Null.INSTANCE) {
            return true;
        }
        if (v instanceof DynamoValue.MapValue m) {
            return column.typed && fieldsCovered(column, m.entries());
        }
        if (v instanceof DynamoValue.ListValue l) {
            return l.elements().isEmpty() || column.typed && elementsCovered(column, l);
        }
        if (v instanceof DynamoValue.StrSet s) {
            return s.values().isEmpty() || column.typed;
        }
        if (v instanceof DynamoValue.NumSet s) {
            return s.values().isEmpty() || column.typed;
        }
        if (v instanceof DynamoValue.BinSet s) {
            return s.values().isEmpty() || column.typed;
        }
        return column.typed;
    }

    private static boolean elementsCovered(Column column, DynamoValue.ListValue l) {
        for (DynamoValue e : l.elements()) {
            if (e instanceof DynamoValue.MapValue m) {
                if (!fieldsCovered(column, m.entries())) {
                    return false;
                }
            } else if (e instanceof DynamoValue.ListValue inner && !elementsCovered(column, inner)) {
                return false;
            }
        }
        return true;
    }

    /** Reads the table's sub-columns of {@code data} from the catalog (adds to what is known). */
    void read(Connection connection, TableName table, int timeoutSeconds) throws SQLException {
        boolean grew = false;
        String sql = "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? AND column_name LIKE 'data[%'";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, TableLayout.schemaOf(connection, table));
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String path = ColumnKinds.pathBelow("data", rs.getString(1));
                    if (path != null && add(path, !rs.getString(2).startsWith("undefined"))) {
                        grew = true;
                    }
                }
            }
        }
        if (grew) {
            generation++;
        }
        everRead = true;
        wroteUnknownSinceRead = false;
        lastReadNanos = System.nanoTime();
    }

    /** Adds what the catalog listed; true when it was not known (or not typed) before. */
    boolean add(String path, boolean typed) {
        Column c = data;
        boolean added = false;
        for (String name : path.split(String.valueOf(ColumnKinds.SEP), -1)) {
            added |= c.child(name) == null;
            c = c.make(name);
        }
        added |= typed && !c.typed;
        c.typed |= typed;
        return added;
    }
}
