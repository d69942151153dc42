package dev.cdcrelay.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns a change into the row the sink stores: a pure function of the change, the key schema,
 * the declared types and what the sink already knows about its column types.
 *
 * <p>Two document modes:
 * <ul>
 *   <li>{@link Mode#EXACT_JSON} (PostgreSQL jsonb): every attribute in {@code data}, numbers as
 *       written by DynamoDB; jsonb keeps them exactly.</li>
 *   <li>{@link Mode#CRATEDB_SAFE}: CrateDB types a dynamic sub-column from the first value and then
 *       silently truncates (1 then 1.5 stores 1) or rejects other types. So numbers go out as
 *       doubles unless the column is integral or declared otherwise; a number a double cannot hold
 *       exactly keeps an exact text copy in {@code aux.exact}; an attribute that cannot be stored
 *       safely in {@code data} (mixed list, type drift, name CrateDB refuses, text over its index
 *       limit, nesting too deep) goes whole to {@code aux.attributes}. Nothing is dropped.</li>
 * </ul>
 */
public final class RowPlanner {

    public enum Mode { EXACT_JSON, CRATEDB_SAFE }

    /** CrateDB refuses indexed text values longer than this many UTF-8 bytes. */
    static final int MAX_INDEXED_TEXT_BYTES = 32766;
    /** Object nesting kept in {@code data}; CrateDB's default mapping.depth.limit is 100. */
    static final int MAX_DATA_DEPTH = 64;
    /**
     * Sub-columns of {@code data} the relay lets CrateDB create; its default limit is 1,000
     * columns per table (mapping.total_fields.limit) and a row that crosses it is rejected.
     */
    static final int MAX_DATA_COLUMNS = 900;
    /** Longest sub-column name kept in {@code data}. */
    static final int MAX_NAME_LENGTH = 255;

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final com.fasterxml.jackson.core.io.JsonStringEncoder QUOTER =
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();

    private final KeySchema keySchema;
    private final DeclaredTypes declared;
    private final Mode mode;

    public RowPlanner(KeySchema keySchema, DeclaredTypes declared, Mode mode) {
        this.keySchema = keySchema;
        this.declared = declared;
        this.mode = mode;
    }

    public KeySchema keySchema() {
        return keySchema;
    }

    /**
     * Plans one change. New sub-column kinds introduced by this row are recorded in {@code kinds},
     * so a later row of the same batch is checked against them, as CrateDB will.
     *
     * @throws IllegalArgumentException when the record's key does not fit the key schema
     */
    public PlannedRow plan(ChangeRecord change, ColumnKinds kinds) {
        List<Object> keyValues = keySchema.bindValues(change.keys());
        String version = change.version().sortKey();
        if (change.eventName() == EventName.REMOVE) {
            return new PlannedRow.Delete(change.itemKey(), change, keyValues, version);
        }
        return mode == Mode.EXACT_JSON
                ? planExact(change, keyValues, version)
                : planSafe(change, keyValues, version, kinds, false);
    }

    /**
     * The last resort after the sink rejected the planned row: every attribute in {@code aux},
     * {@code data} empty. Still the whole image, still exact.
     */
    public PlannedRow planAllInAux(ChangeRecord change) {
        List<Object> keyValues = keySchema.bindValues(change.keys());
        String version = change.version().sortKey();
        if (change.eventName() == EventName.REMOVE) {
            return new PlannedRow.Delete(change.itemKey(), change, keyValues, version);
        }
        return planSafe(change, keyValues, version, new ColumnKinds(), true);
    }

    private PlannedRow planExact(ChangeRecord change, List<Object> keyValues, String version) {
        StringWriter data = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(data)) {
            g.writeStartObject();
            for (Map.Entry<String, DynamoValue> e : change.newImage().entrySet()) {
                g.writeFieldName(e.getKey());
                writeExact(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PlannedRow.Upsert(change.itemKey(), change, keyValues, pkJson(keyValues), data.toString(),
                "{}", version, 0, 0);
    }

    private PlannedRow planSafe(ChangeRecord change, List<Object> keyValues, String version, ColumnKinds kinds,
                                boolean allToAux) {
        StringWriter data = new StringWriter(256);
        LazyJsonObject diverted = new LazyJsonObject();
        LazyJsonObject exact = new LazyJsonObject();
        try (JsonGenerator d = JSON.createGenerator(data)) {
            d.writeStartObject();
            for (Map.Entry<String, DynamoValue> e : change.newImage().entrySet()) {
                String name = e.getKey();
                DynamoValue value = e.getValue();
                DeclaredTypes.DeclaredType type = declared.get(name);
                boolean fits;
                if (allToAux) {
                    fits = false;
                } else if (type != null) {
                    fits = fitsDeclared(type, value);
                } else {
                    fits = validName(name) && fits(name, value, 1, kinds);
                }
                if (fits) {
                    d.writeFieldName(name);
                    if (type != null) {
                        writeDeclared(d, type, value, name, exact);
                    } else {
                        writeSafe(d, name, name, value, kinds, exact);
                    }
                } else {
                    writeExact(diverted.field(name), value, true);
                }
            }
            d.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String aux = auxJson(diverted.json(), diverted.count, exact);
        return new PlannedRow.Upsert(change.itemKey(), change, keyValues, pkJson(keyValues), data.toString(), aux,
                version, diverted.count, exact.count);
    }

    // ---- what fits into data -------------------------------------------------------------

    private static boolean fitsDeclared(DeclaredTypes.DeclaredType type, DynamoValue v) {
        if (v == DynamoValue.Null.INSTANCE) {
            return true;
        }
        return switch (type) {
            case TEXT -> v instanceof DynamoValue.Str || v instanceof DynamoValue.Num || v instanceof DynamoValue.Bin
                    || v instanceof DynamoValue.Bool;
            case BIGINT -> v instanceof DynamoValue.Num n && isLong(n.value());
            case DOUBLE -> v instanceof DynamoValue.Num;
            case BOOLEAN -> v instanceof DynamoValue.Bool;
        };
    }

    /** Would CrateDB store this value at this path exactly as given, without rejecting the row? */
    private static boolean fits(String path, DynamoValue v, int depth, ColumnKinds kinds) {
        String known = kinds.get(path);
        if (v == DynamoValue.Null.INSTANCE) {
            return true;
        }
        if (known == null && kinds.size() >= MAX_DATA_COLUMNS) {
            return false; // one more column could cross CrateDB's column limit
        }
        if (ColumnKinds.OTHER.equals(known)) {
            return true;
        }
        if (v instanceof DynamoValue.Str s) {
            return textFits(s.value()) && compatible(known, ColumnKinds.TEXT);
        }
        if (v instanceof DynamoValue.Bin b) {
            return b.base64().length() <= MAX_INDEXED_TEXT_BYTES && compatible(known, ColumnKinds.TEXT);
        }
        if (v instanceof DynamoValue.Bool) {
            return compatible(known, ColumnKinds.BOOLEAN);
        }
        if (v instanceof DynamoValue.Num n) {
            return numberFits(known, n.value());
        }
        if (v instanceof DynamoValue.MapValue m) {
            if (depth > MAX_DATA_DEPTH || !compatible(known, ColumnKinds.OBJECT)) {
                return false;
            }
            for (Map.Entry<String, DynamoValue> e : m.entries().entrySet()) {
                if (!validName(e.getKey()) || !fits(path + ColumnKinds.SEP + e.getKey(), e.getValue(), depth + 1, kinds)) {
                    return false;
                }
            }
            return true;
        }
        String elementKind = known == null ? null
                : known.startsWith(ColumnKinds.ARRAY_PREFIX) ? known.substring(ColumnKinds.ARRAY_PREFIX.length()) : "";
        if ("".equals(elementKind)) {
            return false; // the column exists and is not an array
        }
        if (v instanceof DynamoValue.StrSet ss) {
            return compatible(elementKind, ColumnKinds.TEXT) && ss.values().stream().allMatch(RowPlanner::textFits);
        }
        if (v instanceof DynamoValue.BinSet bs) {
            return compatible(elementKind, ColumnKinds.TEXT)
                    && bs.values().stream().allMatch(b -> b.length() <= MAX_INDEXED_TEXT_BYTES);
        }
        if (v instanceof DynamoValue.NumSet ns) {
            return ns.values().stream().allMatch(x -> numberFits(elementKind, x));
        }
        DynamoValue.ListValue list = (DynamoValue.ListValue) v;
        // CrateDB arrays hold one element type: a list of mixed types (or of lists) cannot be typed.
        String listKind = null;
        for (DynamoValue e : list.elements()) {
            if (e == DynamoValue.Null.INSTANCE) {
                continue;
            }
            String k = valueKind(e);
            if (k == null) {
                return false;
            }
            if (listKind == null) {
                listKind = k;
            } else if (!listKind.equals(k)) {
                return false;
            }
        }
        if (listKind == null) {
            return true;
        }
        if (!compatible(elementKind, listKind)) {
            return false;
        }
        // Elements share the array's sub-columns: check each against the same path.
        ColumnKinds scratch = null;
        for (DynamoValue e : list.elements()) {
            if (e instanceof DynamoValue.MapValue m) {
                if (depth > MAX_DATA_DEPTH) {
                    return false;
                }
                // Elements of one list must agree with each other as well as with the sink.
                if (scratch == null) {
                    scratch = kinds.copy();
                }
                for (Map.Entry<String, DynamoValue> f : m.entries().entrySet()) {
                    String sub = path + ColumnKinds.SEP + f.getKey();
                    if (!validName(f.getKey()) || !fits(sub, f.getValue(), depth + 1, scratch)) {
                        return false;
                    }
                    registerKinds(sub, f.getValue(), scratch);
                }
            } else if (e instanceof DynamoValue.Str s && !textFits(s.value())) {
                return false;
            } else if (e instanceof DynamoValue.Bin b && b.base64().length() > MAX_INDEXED_TEXT_BYTES) {
                return false;
            } else if (e instanceof DynamoValue.Num n && !numberFits(elementKind, n.value())) {
                return false;
            }
        }
        return true;
    }

    /** The kind a value creates when it is the first one written; null for nested lists. */
    private static String valueKind(DynamoValue v) {
        if (v instanceof DynamoValue.Str || v instanceof DynamoValue.Bin) {
            return ColumnKinds.TEXT;
        }
        if (v instanceof DynamoValue.Num) {
            return ColumnKinds.FLOATING;
        }
        if (v instanceof DynamoValue.Bool) {
            return ColumnKinds.BOOLEAN;
        }
        if (v instanceof DynamoValue.MapValue) {
            return ColumnKinds.OBJECT;
        }
        if (v instanceof DynamoValue.StrSet || v instanceof DynamoValue.BinSet) {
            return ColumnKinds.ARRAY_PREFIX + ColumnKinds.TEXT;
        }
        if (v instanceof DynamoValue.NumSet) {
            return ColumnKinds.ARRAY_PREFIX + ColumnKinds.FLOATING;
        }
        return null; // lists of lists: not safely typable
    }

    private static boolean compatible(String known, String kind) {
        if (known == null || known.equals(ColumnKinds.OTHER)) {
            return true;
        }
        if (known.equals(kind)) {
            return true;
        }
        // Numbers fit numeric columns of either kind (numberFits decides the details).
        return kind.equals(ColumnKinds.FLOATING) && known.equals(ColumnKinds.INTEGRAL);
    }

    private static boolean numberFits(String known, BigDecimal n) {
        // A number meeting a text column would come back as a string: divert it, keep its type.
        if (known == null || known.equals(ColumnKinds.FLOATING) || known.equals(ColumnKinds.OTHER)) {
            return true;
        }
        if (known.equals(ColumnKinds.INTEGRAL)) {
            return isLong(n); // 1.5 into a BIGINT column would be stored as 1
        }
        return false;
    }

    private static boolean isLong(BigDecimal n) {
        if (n.signum() == 0) {
            return true;
        }
        if (n.scale() > 0 && n.stripTrailingZeros().scale() > 0) {
            return false;
        }
        if (n.precision() - n.scale() > 19) {
            return false;
        }
        try {
            n.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static boolean textFits(String s) {
        if (s.length() * 3 <= MAX_INDEXED_TEXT_BYTES) {
            return true;
        }
        return s.length() <= MAX_INDEXED_TEXT_BYTES
                && s.getBytes(StandardCharsets.UTF_8).length <= MAX_INDEXED_TEXT_BYTES;
    }

    /**
     * Names CrateDB takes as a dynamic sub-column (measured on 6.4): not empty, no '.', no '[',
     * no whitespace but the plain space. A quote is accepted by CrateDB but information_schema
     * reports it unescaped, so the relay could not read the column's type back: diverted too.
     */
    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '[' || c == '.' || c == '\'' || c < 0x20 || c == 0x7f
                    || (c != ' ' && Character.isWhitespace(c)) || Character.isSpaceChar(c) && c != ' ') {
                return false;
            }
        }
        return true;
    }

    private static void registerKinds(String path, DynamoValue v, ColumnKinds kinds) {
        if (v == DynamoValue.Null.INSTANCE) {
            return;
        }
        String existing = kinds.get(path);
        if (v instanceof DynamoValue.MapValue m) {
            kinds.putIfAbsent(path, ColumnKinds.OBJECT);
            for (Map.Entry<String, DynamoValue> e : m.entries().entrySet()) {
                registerKinds(path + ColumnKinds.SEP + e.getKey(), e.getValue(), kinds);
            }
            return;
        }
        if (v instanceof DynamoValue.ListValue l) {
            for (DynamoValue e : l.elements()) {
                if (e == DynamoValue.Null.INSTANCE) {
                    continue;
                }
                String k = valueKind(e);
                if (k != null && existing == null) {
                    kinds.put(path, ColumnKinds.ARRAY_PREFIX + k);
                    existing = kinds.get(path);
                }
                if (e instanceof DynamoValue.MapValue m) {
                    for (Map.Entry<String, DynamoValue> f : m.entries().entrySet()) {
                        registerKinds(path + ColumnKinds.SEP + f.getKey(), f.getValue(), kinds);
                    }
                }
            }
            return;
        }
        if (existing == null) {
            kinds.put(path, valueKind(v));
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    private void writeSafe(JsonGenerator g, String path, String display, DynamoValue v, ColumnKinds kinds,
                           LazyJsonObject exact) throws IOException {
        registerKinds(path, v, kinds);
        writeValue(g, path, display, v, kinds, (gen, kind, n, where) -> writeNumber(gen, kind, n, where, exact));
    }

    /** How one number is written, given the kind of the column it lands in (null if unknown or irrelevant). */
    @FunctionalInterface
    private interface NumberWriter {
        void write(JsonGenerator g, String columnKind, BigDecimal n, String display) throws IOException;
    }

    /**
     * Writes a value as JSON; only numbers differ between the document modes, so they go through
     * {@code numbers}. With {@code kinds} null, paths are not tracked (nothing depends on them).
     * Objects inside a list share the list's sub-column paths, as in CrateDB.
     */
    private static void writeValue(JsonGenerator g, String path, String display, DynamoValue v, ColumnKinds kinds,
                                   NumberWriter numbers) throws IOException {
        if (v instanceof DynamoValue.Str s) {
            g.writeString(s.value());
        } else if (v instanceof DynamoValue.Num n) {
            numbers.write(g, kinds == null ? null : kinds.get(path), n.value(), display);
        } else if (v instanceof DynamoValue.Bin b) {
            g.writeString(b.base64());
        } else if (v instanceof DynamoValue.Bool b) {
            g.writeBoolean(b.value());
        } else if (v == DynamoValue.Null.INSTANCE) {
            g.writeNull();
        } else if (v instanceof DynamoValue.MapValue m) {
            g.writeStartObject();
            for (Map.Entry<String, DynamoValue> e : m.entries().entrySet()) {
                g.writeFieldName(e.getKey());
                if (kinds == null) {
                    writeValue(g, null, null, e.getValue(), null, numbers);
                } else {
                    writeValue(g, path + ColumnKinds.SEP + e.getKey(), display + "." + e.getKey(), e.getValue(),
                            kinds, numbers);
                }
            }
            g.writeEndObject();
        } else if (v instanceof DynamoValue.StrSet ss) {
            g.writeStartArray();
            for (String s : ss.values()) {
                g.writeString(s);
            }
            g.writeEndArray();
        } else if (v instanceof DynamoValue.BinSet bs) {
            g.writeStartArray();
            for (String s : bs.values()) {
                g.writeString(s);
            }
            g.writeEndArray();
        } else {
            String element = kinds == null ? null : elementKind(kinds.get(path));
            g.writeStartArray();
            int i = 0;
            if (v instanceof DynamoValue.NumSet ns) {
                for (BigDecimal n : ns.values()) {
                    numbers.write(g, element, n, kinds == null ? null : display + "[" + i++ + "]");
                }
            } else {
                for (DynamoValue e : ((DynamoValue.ListValue) v).elements()) {
                    String d = kinds == null ? null : display + "[" + i++ + "]";
                    if (e instanceof DynamoValue.Num n) {
                        numbers.write(g, element, n.value(), d);
                    } else {
                        writeValue(g, path, d, e, kinds, numbers);
                    }
                }
            }
            g.writeEndArray();
        }
    }

    private static String elementKind(String arrayKind) {
        return arrayKind != null && arrayKind.startsWith(ColumnKinds.ARRAY_PREFIX)
                ? arrayKind.substring(ColumnKinds.ARRAY_PREFIX.length()) : null;
    }

    private static void writeNumber(JsonGenerator g, String known, BigDecimal n, String display, LazyJsonObject exact)
            throws IOException {
        if (ColumnKinds.INTEGRAL.equals(known) && isLong(n)) {
            g.writeNumber(n.longValueExact());
        } else {
            writeDouble(g, n, display, exact);
        }
    }

    /** Always with a '.' or exponent, so CrateDB types a new column DOUBLE, never BIGINT. */
    private static void writeDouble(JsonGenerator g, BigDecimal n, String display, LazyJsonObject exact)
            throws IOException {
        double d = n.doubleValue();
        String text = Double.toString(d);
        g.writeNumber(text);
        if (!ExactNumbers.survivesDouble(n)) {
            exact.field(display).writeString(n.toString());
        }
    }

    private static void writeDeclared(JsonGenerator g, DeclaredTypes.DeclaredType type, DynamoValue v, String display,
                                      LazyJsonObject exact) throws IOException {
        if (v == DynamoValue.Null.INSTANCE) {
            g.writeNull();
            return;
        }
        switch (type) {
            case TEXT -> {
                if (v instanceof DynamoValue.Str s) {
                    g.writeString(s.value());
                } else if (v instanceof DynamoValue.Num n) {
                    g.writeString(n.value().toString());
                } else if (v instanceof DynamoValue.Bin b) {
                    g.writeString(b.base64());
                } else {
                    g.writeString(Boolean.toString(((DynamoValue.Bool) v).value()));
                }
            }
            case BIGINT -> g.writeNumber(((DynamoValue.Num) v).value().longValueExact());
            case DOUBLE -> writeDouble(g, ((DynamoValue.Num) v).value(), display, exact);
            case BOOLEAN -> g.writeBoolean(((DynamoValue.Bool) v).value());
        }
    }

    /** The value as exact JSON: numbers as DynamoDB wrote them, sets as arrays, binaries as base64. */
    static void writeExact(JsonGenerator g, DynamoValue v) throws IOException {
        writeExact(g, v, false);
    }

    /**
     * As {@link #writeExact(JsonGenerator, DynamoValue)}; with {@code crateSafe}, a number that is
     * neither a BIGINT nor a double without loss is written as its exact decimal text: CrateDB
     * refuses integers beyond BIGINT even in an IGNORED object ("can not write type BigInteger")
     * and would read a long decimal fraction as a double, silently rounding it (measured on 6.4).
     */
    static void writeExact(JsonGenerator g, DynamoValue v, boolean crateSafe) throws IOException {
        writeValue(g, null, null, v, null, (gen, kind, n, where) -> writeExactNumber(gen, n, crateSafe));
    }

    private static void writeExactNumber(JsonGenerator g, BigDecimal n, boolean crateSafe) throws IOException {
        if (!crateSafe) {
            g.writeNumber(n);
        } else if (isLong(n)) {
            g.writeNumber(n.longValueExact());
        } else {
            String text = Double.toString(n.doubleValue());
            if (ExactNumbers.survivesDouble(n)) {
                g.writeNumber(text);
            } else {
                g.writeString(n.toString());
            }
        }
    }

    /** The key as a JSON object; small and hot, so written directly. */
    private String pkJson(List<Object> keyValues) {
        StringBuilder sb = new StringBuilder(64).append('{');
        List<KeySchema.KeyAttribute> attrs = keySchema.attributes();
        for (int i = 0; i < attrs.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            QUOTER.quoteAsString(attrs.get(i).name(), sb);
            sb.append("\":");
            Object v = keyValues.get(i);
            if (v instanceof Long || v instanceof Double) {
                sb.append(v);
            } else {
                sb.append('"');
                QUOTER.quoteAsString(v.toString(), sb);
                sb.append('"');
            }
        }
        return sb.append('}').toString();
    }

    private static String auxJson(String diverted, int divertedCount, LazyJsonObject exact) {
        if (divertedCount == 0 && exact.count == 0) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder(diverted.length() + 64);
        sb.append('{');
        if (divertedCount > 0) {
            sb.append("\"attributes\":").append(diverted);
        }
        if (exact.count > 0) {
            if (divertedCount > 0) {
                sb.append(',');
            }
            sb.append("\"exact\":").append(exact.json());
        }
        return sb.append('}').toString();
    }

    /**
     * A JSON object built field by field whose generator exists only once a field is added: most
     * rows divert nothing and need no exact copies, and they should not pay for a generator.
     * Used for aux's diverted attributes and for its exact copies of numbers.
     */
    private static final class LazyJsonObject {
        private StringWriter out;
        private JsonGenerator g;
        int count;

        /** The generator, positioned to write the value of a new field. */
        JsonGenerator field(String name) throws IOException {
            if (g == null) {
                out = new StringWriter(64);
                g = JSON.createGenerator(out);
                g.writeStartObject();
            }
            g.writeFieldName(name);
            count++;
            return g;
        }

        String json() {
            if (g == null) {
                return "{}";
            }
            try {
                g.writeEndObject();
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }
}
