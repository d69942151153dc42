package dev.cdcrelay.plan;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.DynamoValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What CrateDB stores exactly as given under {@code data}, without rejecting the row: it types a
 * dynamic sub-column from the first value ever written, then truncates or refuses values of
 * another type. Measured on CrateDB 6.4; the limits below are its defaults.
 */
final class CrateDbColumnRules {

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

    private static final ColumnKind ARRAY_OF_TEXT = new ColumnKind.ArrayOf(ColumnKinds.TEXT);
    private static final ColumnKind ARRAY_OF_FLOATING = new ColumnKind.ArrayOf(ColumnKinds.FLOATING);

    private CrateDbColumnRules() {
    }

    /** Does a value fit the column type the user declared for its attribute? */
    static boolean fitsDeclared(DeclaredTypes.DeclaredType type, DynamoValue v) {
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

    /**
     * Would CrateDB store this top-level attribute exactly as given, without rejecting the row?
     * Sub-columns are looked up (and made, without a kind) in {@code kinds}, also for a name that
     * is then refused: the caller undoes what a value that does not fit made. Kinds recorded while
     * checking a list are undone before this returns.
     *
     * <p>The planner asks this only near the column limit: elsewhere {@link DocumentWriter} applies
     * the same rules, node by node, in the walk that writes the value (it says why they agree).
     */
    static boolean fits(ColumnKinds kinds, String name, DynamoValue v) {
        ColumnKinds.Column column = kinds.child(kinds.top(), name);
        return column.hasValidName() && fits(kinds, column, v, 1);
    }

    private static boolean fits(ColumnKinds kinds, ColumnKinds.Column column, DynamoValue v, int depth) {
        if (v == DynamoValue.Null.INSTANCE) {
            return true;
        }
        ColumnKind known = column.kind();
        if (known == null && kinds.size() >= MAX_DATA_COLUMNS) {
            return false; // one more column could cross CrateDB's column limit
        }
        if (ColumnKinds.OTHER.equals(known)) {
            return true;
        }
        if (!nodeFits(known, v, depth)) {
            return false;
        }
        if (v instanceof DynamoValue.MapValue m) {
            return fieldsFit(kinds, column, m, depth);
        }
        return !(v instanceof DynamoValue.ListValue list) || elementsFit(kinds, column, ColumnKind.elementOf(known), list,
                depth);
    }

    /**
     * The rules on the value itself, not on what lies below it, at a column of kind {@code known}
     * (null: a new column) that is not {@link ColumnKinds#OTHER}, and not for a NULL: a map must
     * meet an object column within the depth limit; a list or set an array column whose element
     * kind it fits, the list's elements being of one kind; a scalar a column of its kind.
     */
    static boolean nodeFits(ColumnKind known, DynamoValue v, int depth) {
        if (v instanceof DynamoValue.MapValue) {
            return depth <= MAX_DATA_DEPTH && compatible(known, ColumnKinds.OBJECT);
        }
        if (v instanceof DynamoValue.ListValue || v instanceof DynamoValue.StrSet
                || v instanceof DynamoValue.BinSet || v instanceof DynamoValue.NumSet) {
            if (known != null && !(known instanceof ColumnKind.ArrayOf)) {
                return false; // the column exists and is not an array
            }
            ColumnKind elementKind = ColumnKind.elementOf(known);
            return v instanceof DynamoValue.ListValue list
                    ? listTypable(elementKind, list)
                    : fitsSet(elementKind, v);
        }
        return fitsScalar(known, v);
    }

    /** S, B, BOOL and N against the column's kind (null: a new column). */
    private static boolean fitsScalar(ColumnKind known, DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            return textFits(s.value()) && compatible(known, ColumnKinds.TEXT);
        }
        if (v instanceof DynamoValue.Bin b) {
            return b.base64().length() <= MAX_INDEXED_TEXT_BYTES && compatible(known, ColumnKinds.TEXT);
        }
        if (v instanceof DynamoValue.Bool) {
            return compatible(known, ColumnKinds.BOOLEAN);
        }
        return numberFits(known, ((DynamoValue.Num) v).value());
    }

    private static boolean fieldsFit(ColumnKinds kinds, ColumnKinds.Column column, DynamoValue.MapValue m, int depth) {
        AttributeMap fields = AttributeMap.of(m.entries());
        for (int i = 0, n = fields.size(); i < n; i++) {
            ColumnKinds.Column sub = kinds.child(column, fields.nameAt(i));
            if (!sub.hasValidName() || !fits(kinds, sub, fields.valueAt(i), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsSet(ColumnKind elementKind, DynamoValue set) {
        if (set instanceof DynamoValue.StrSet ss) {
            return compatible(elementKind, ColumnKinds.TEXT) && allTextFits(ss.values());
        }
        if (set instanceof DynamoValue.BinSet bs) {
            if (!compatible(elementKind, ColumnKinds.TEXT)) {
                return false;
            }
            List<String> values = bs.values();
            for (int i = 0, count = values.size(); i < count; i++) {
                if (values.get(i).length() > MAX_INDEXED_TEXT_BYTES) {
                    return false;
                }
            }
            return true;
        }
        List<BigDecimal> numbers = ((DynamoValue.NumSet) set).values();
        for (int i = 0, count = numbers.size(); i < count; i++) {
            if (!numberFits(elementKind, numbers.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allTextFits(List<String> values) {
        for (int k = 0, n = values.size(); k < n; k++) {
            if (!textFits(values.get(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * CrateDB arrays hold one element type: a list of mixed types (or of lists) cannot be typed.
     * Its elements' kind must also meet the array's ({@code elementKind}, null: a new column).
     */
    private static boolean listTypable(ColumnKind elementKind, DynamoValue.ListValue list) {
        ColumnKind listKind = null;
        List<DynamoValue> elements = list.elements();
        for (int at = 0, count = elements.size(); at < count; at++) {
            DynamoValue e = elements.get(at);
            if (e == DynamoValue.Null.INSTANCE) {
                continue;
            }
            ColumnKind k = valueKind(e);
            if (k == null || (listKind != null && !listKind.equals(k))) {
                return false;
            }
            listKind = k;
        }
        return listKind == null || compatible(elementKind, listKind);
    }

    /**
     * Elements share the array's sub-columns, and must agree with each other as well as with the
     * sink: the kinds they record are checked, then undone.
     */
    private static boolean elementsFit(ColumnKinds kinds, ColumnKinds.Column column, ColumnKind elementKind,
                                       DynamoValue.ListValue list, int depth) {
        int mark = kinds.mark();
        try {
            List<DynamoValue> elements = list.elements();
            for (int at = 0, count = elements.size(); at < count; at++) {
                DynamoValue e = elements.get(at);
                if (e instanceof DynamoValue.MapValue m) {
                    if (!elementMapFits(depth)) {
                        return false;
                    }
                    AttributeMap fields = AttributeMap.of(m.entries());
                    for (int i = 0, n = fields.size(); i < n; i++) {
                        ColumnKinds.Column sub = kinds.child(column, fields.nameAt(i));
                        if (!sub.hasValidName() || !fits(kinds, sub, fields.valueAt(i), depth + 1)) {
                            return false;
                        }
                        kinds.record(sub, fields.valueAt(i));
                    }
                } else if (!elementFits(elementKind, e)) {
                    return false;
                }
            }
            return true;
        } finally {
            kinds.rollback(mark);
        }
    }

    /** A map inside a list at {@code depth}: its fields take the level below. */
    static boolean elementMapFits(int depth) {
        return depth <= MAX_DATA_DEPTH;
    }

    /**
     * A list element that is not a map, in an array whose element kind is {@code elementKind}
     * (null: a new column): texts within the index limit, numbers that the kind holds. Sets in a
     * list are not looked into (their kind was judged with the list's).
     */
    static boolean elementFits(ColumnKind elementKind, DynamoValue e) {
        if (e instanceof DynamoValue.Str s) {
            return textFits(s.value());
        }
        if (e instanceof DynamoValue.Bin b) {
            return b.base64().length() <= MAX_INDEXED_TEXT_BYTES;
        }
        return !(e instanceof DynamoValue.Num n) || numberFits(elementKind, n.value());
    }

    /** The kind a value creates when it is the first one written; null for lists. */
    static ColumnKind valueKind(DynamoValue v) {
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
            return ARRAY_OF_TEXT;
        }
        if (v instanceof DynamoValue.NumSet) {
            return ARRAY_OF_FLOATING;
        }
        return null; // lists of lists: not safely typable
    }

    private static boolean compatible(ColumnKind known, ColumnKind kind) {
        if (known == null || known.equals(ColumnKinds.OTHER)) {
            return true;
        }
        if (known.equals(kind)) {
            return true;
        }
        // Numbers fit numeric columns of either kind (numberFits decides the details).
        return kind.equals(ColumnKinds.FLOATING) && known.equals(ColumnKinds.INTEGRAL);
    }

    private static boolean numberFits(ColumnKind known, BigDecimal n) {
        // A number meeting a text column would come back as a string: divert it, keep its type.
        if (known == null || known.equals(ColumnKinds.FLOATING) || known.equals(ColumnKinds.OTHER)) {
            return true;
        }
        if (known.equals(ColumnKinds.INTEGRAL)) {
            return isLong(n); // 1.5 into a BIGINT column would be stored as 1
        }
        return false;
    }

    /** A whole number within BIGINT's range, whatever its scale. */
    static boolean isLong(BigDecimal n) {
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
            if (c == '[' || c == '.' || c == '\'' || c < 0x20 || c == 0x7f) {
                return false;
            }
            // Printable ASCII has no whitespace but the plain space: the Unicode tables are asked
            // only beyond it (they cost more than the rest of the check).
            if (c > 0x7f && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                return false;
            }
        }
        return true;
    }
}
