package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ImageReader;

import java.math.BigDecimal;

/**
 * Writes attribute values into {@code data} straight from an image's bytes
 * ({@link dev.cdcrelay.decode.RawImage}) of an all-ASCII record, as {@link DocumentWriter}
 * writes the built values, by the same {@link JsonText} calls, so the text is the same:
 * <ul>
 *   <li>{@link #writeExact} (PostgreSQL's jsonb): every value, numbers as written;</li>
 *   <li>{@link #tryWrite} (CrateDB's {@code data}): a top-level attribute when every column it
 *       reaches is known already and takes its value, a table's steady state. There
 *       {@link DocumentWriter#tryWriteSafe} would record no kind, keep no exact copy and divert
 *       nothing. Anything else (a column not made or without a kind yet, a kind that does not
 *       take the value, {@link ColumnKinds#OTHER}, a number a double cannot hold, a binary, a set
 *       or list in a list, a list of mixed kinds) is left to DocumentWriter, which decides on the
 *       built value: {@code tryWrite} then returns false having written nothing. So this class
 *       only needs to know when the rules accept, never how they refuse, and changes no kind.</li>
 * </ul>
 *
 * <p>Why: the tree of an image, built by the reader and read again here, was about a fifth of
 * decoding and planning a nested 2 KB item (docs/performance.md, "Without the tree").
 */
final class RawDocumentWriter {

    private final ColumnKinds kinds;

    RawDocumentWriter(ColumnKinds kinds) {
        this.kinds = kinds;
    }

    /**
     * Writes the attribute {@code name} (its value object next in {@code r}), and moves {@code r}
     * past it; or returns false with {@code g} and {@code r} as they were.
     */
    boolean tryWrite(JsonText g, String name, ImageReader r) {
        ColumnKinds.Column column = kinds.top().find(name);
        if (column == null || !column.hasValidName()) {
            return false;
        }
        JsonText.Position start = g.position();
        int at = r.position();
        g.writeFieldName(column);
        if (value(g, column, r, 1)) {
            return true;
        }
        g.undoTo(start);
        r.reset(at);
        return false;
    }

    /** The value object next in {@code r}, at {@code column}, {@code depth} levels down (as in DocumentWriter). */
    private boolean value(JsonText g, ColumnKinds.Column column, ImageReader r, int depth) {
        ImageReader.Type type = r.type();
        ColumnKind known = column.kind();
        boolean written;
        if (type == ImageReader.Type.NULL) {
            r.nul();
            g.writeNull();   // whatever the column: DocumentWriter writes null before any rule
            written = true;
        } else if (known == null) {
            written = false;   // a new column: its kind is recorded by DocumentWriter
        } else {
            // Each case takes only the kinds the relay writes; OTHER (the database's own type) none.
            written = switch (type) {
                case S -> known == ColumnKinds.TEXT && text(g, r);
                case N -> number(g, known, r);
                case BOOL -> {
                    if (known != ColumnKinds.BOOLEAN) {
                        yield false;
                    }
                    g.writeBoolean(r.bool());
                    yield true;
                }
                case M -> known == ColumnKinds.OBJECT && depth <= CrateDbColumnRules.MAX_DATA_DEPTH
                        && fields(g, column, r, depth);
                case L -> list(g, column, ColumnKind.elementOf(known), r, depth);
                case SS -> ColumnKind.elementOf(known) == ColumnKinds.TEXT && texts(g, r);
                case NS -> numbers(g, ColumnKind.elementOf(known), r);
                default -> false;   // B and BS: rare enough to build
            };
        }
        if (written) {
            r.endValue();
        }
        return written;
    }

    /** An object's fields: each a sub-column of {@code column} that exists with a valid name. */
    private boolean fields(JsonText g, ColumnKinds.Column column, ImageReader r, int depth) {
        r.startObject();
        g.writeStartObject();
        while (r.hasNext()) {
            ColumnKinds.Column sub = column.find(r.name());
            if (sub == null || !sub.hasValidName()) {
                return false;
            }
            g.writeFieldName(sub);
            if (!value(g, sub, r, depth + 1)) {
                return false;
            }
        }
        g.writeEndObject();
        return true;
    }

    /**
     * A list at an array column of {@code element} kind: its non-null elements all of one kind
     * the column takes (texts, numbers, booleans or maps, which share the list's sub-columns).
     */
    private boolean list(JsonText g, ColumnKinds.Column column, ColumnKind element, ImageReader r, int depth) {
        if (element == null) {
            return false;   // not an array column
        }
        r.startArray();
        g.writeStartArray();
        ImageReader.Type listType = null;
        while (r.hasNext()) {
            ImageReader.Type type = r.type();
            if (type == ImageReader.Type.NULL) {
                r.nul();
                g.writeNull();
                r.endValue();
                continue;
            }
            if (listType == null) {
                if (!takes(element, type)) {
                    return false;
                }
                listType = type;
            } else if (type != listType) {
                return false;   // mixed kinds: not typable
            }
            boolean written = switch (type) {
                case S -> text(g, r);
                case N -> number(g, element, r);
                case BOOL -> {
                    g.writeBoolean(r.bool());
                    yield true;
                }
                case M -> depth <= CrateDbColumnRules.MAX_DATA_DEPTH && fields(g, column, r, depth);
                default -> false;
            };
            if (!written) {
                return false;
            }
            r.endValue();
        }
        g.writeEndArray();
        return true;
    }

    /** Whether an array of {@code element} kind takes list elements of {@code type}, as CrateDbColumnRules has it. */
    private static boolean takes(ColumnKind element, ImageReader.Type type) {
        return switch (type) {
            case S -> element == ColumnKinds.TEXT;
            case N -> element == ColumnKinds.FLOATING || element == ColumnKinds.INTEGRAL;
            case BOOL -> element == ColumnKinds.BOOLEAN;
            case M -> element == ColumnKinds.OBJECT;
            default -> false;
        };
    }

    /** A text within CrateDB's index limit; an ASCII record's text has one byte per char. */
    private static boolean text(JsonText g, ImageReader r) {
        r.text();
        if (r.textEnd() - r.textStart() > CrateDbColumnRules.MAX_INDEXED_TEXT_BYTES) {
            return false;
        }
        g.writeAsciiString(r.bytes(), r.textStart(), r.textEnd());
        return true;
    }

    /** A number at a column of {@code known} kind: a BIGINT into an integral one, a double that holds it exactly into a floating one. */
    private static boolean number(JsonText g, ColumnKind known, ImageReader r) {
        BigDecimal n = r.number();
        if (known == ColumnKinds.INTEGRAL) {
            if (!CrateDbColumnRules.isLong(n)) {
                return false;
            }
            g.writeNumber(n.longValueExact());
            return true;
        }
        if (known != ColumnKinds.FLOATING || !ExactNumbers.survivesDouble(n)) {
            return false;   // another kind, or an exact copy to keep: DocumentWriter's work
        }
        g.writeDouble(n);
        return true;
    }

    /** A string set at an array column of texts. */
    private static boolean texts(JsonText g, ImageReader r) {
        r.startArray();
        g.writeStartArray();
        while (r.hasNext()) {
            if (!text(g, r)) {
                return false;
            }
        }
        g.writeEndArray();
        return true;
    }

    /** The value object next in {@code r}, all of it, numbers as written: {@link DocumentWriter#writeExact} with {@code AS_WRITTEN}. */
    static void writeExact(JsonText g, ImageReader r) {
        switch (r.type()) {
            case S, B -> {
                r.text();
                g.writeAsciiString(r.bytes(), r.textStart(), r.textEnd());
            }
            case N -> g.writeNumber(r.number());
            case BOOL -> g.writeBoolean(r.bool());
            case NULL -> {
                r.nul();
                g.writeNull();
            }
            case M -> {
                r.startObject();
                g.writeStartObject();
                while (r.hasNext()) {
                    g.writeFieldName(r.name());
                    writeExact(g, r);
                }
                g.writeEndObject();
            }
            case L -> {
                r.startArray();
                g.writeStartArray();
                while (r.hasNext()) {
                    writeExact(g, r);
                }
                g.writeEndArray();
            }
            case NS -> {
                r.startArray();
                g.writeStartArray();
                while (r.hasNext()) {
                    g.writeNumber(r.number());
                }
                g.writeEndArray();
            }
            case SS, BS -> {
                r.startArray();
                g.writeStartArray();
                while (r.hasNext()) {
                    r.text();
                    g.writeAsciiString(r.bytes(), r.textStart(), r.textEnd());
                }
                g.writeEndArray();
            }
        }
        r.endValue();
    }

    /** A number set at an array column of numbers ({@link #number} refuses every other element kind). */
    private static boolean numbers(JsonText g, ColumnKind element, ImageReader r) {
        r.startArray();
        g.writeStartArray();
        while (r.hasNext()) {
            if (!number(g, element, r)) {
                return false;
            }
        }
        g.writeEndArray();
        return true;
    }
}
