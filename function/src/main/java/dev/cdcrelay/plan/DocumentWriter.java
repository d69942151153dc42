package dev.cdcrelay.plan;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.DynamoValue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Writes attribute values as JSON. Only numbers differ between the ways of writing:
 * <ul>
 *   <li>{@link #writeExact} (PostgreSQL jsonb, and aux): numbers as DynamoDB wrote them, or, for
 *       CrateDB, as a BIGINT, a lossless double or else their exact decimal text;</li>
 *   <li>{@link #tryWriteSafe} (CrateDB's {@code data}): checks the value against
 *       {@link CrateDbColumnRules} and records the sub-column kinds it creates, in the walk that
 *       writes it, and writes numbers as doubles unless their column is integral; a number a
 *       double cannot hold keeps an exact text copy in aux, named by where it is (e.g.
 *       {@code lines[2].price}), a name built only then.</li>
 * </ul>
 * Objects inside a list share the list's sub-columns, as in CrateDB. One per row.
 */
final class DocumentWriter {

    /** How {@link #writeExact} writes numbers. */
    enum Numbers {
        /** As DynamoDB wrote them (jsonb keeps them exactly). */
        AS_WRITTEN,
        /**
         * CrateDB refuses integers beyond BIGINT even in an IGNORED object ("can not write type
         * BigInteger") and would read a long decimal fraction as a double, silently rounding it
         * (measured on 6.4): a number that is neither a BIGINT nor a lossless double is text.
         */
        CRATEDB_SAFE
    }

    /** What {@link #tryWriteSafe} did with an attribute. */
    enum Outcome {
        /** Into {@code data}: CrateDB takes it. */
        WRITTEN,
        /** Not written: CrateDB would not store it as given (it belongs in aux). */
        REFUSED,
        /** Not written: near the column limit, only {@link CrateDbColumnRules#fits} can tell. */
        UNDECIDED
    }

    /** Whether a value's own column kind is recorded while it is written. */
    private enum Recording { RECORD, READ_ONLY }

    /** Whether the walk applies CrateDB's rules, or they were applied already (or do not apply below). */
    private enum Checks { APPLY, DONE }

    private final ColumnKinds kinds;
    private final AuxDocument aux;
    private final Trail trail = new Trail();
    /** Exact copies of numbers of the attribute being written, kept back until it is known to fit. */
    private final PendingCopies pendingExact = new PendingCopies();

    DocumentWriter(ColumnKinds kinds, AuxDocument aux) {
        this.kinds = kinds;
        this.aux = aux;
    }

    /** The value as exact JSON: sets as arrays, binaries as base64, numbers as {@code numbers} says. */
    static void writeExact(JsonText g, DynamoValue v, Numbers numbers) {
        if (v instanceof DynamoValue.Num n) {
            writeExactNumber(g, n.value(), numbers);
        } else if (v instanceof DynamoValue.MapValue m) {
            g.writeStartObject();
            AttributeMap fields = AttributeMap.of(m.entries());
            for (int i = 0, n = fields.size(); i < n; i++) {
                g.writeFieldName(fields.nameAt(i));
                writeExact(g, fields.valueAt(i), numbers);
            }
            g.writeEndObject();
        } else if (v instanceof DynamoValue.NumSet ns) {
            g.writeStartArray();
            List<BigDecimal> values = ns.values();
            for (int i = 0, count = values.size(); i < count; i++) {
                writeExactNumber(g, values.get(i), numbers);
            }
            g.writeEndArray();
        } else if (v instanceof DynamoValue.ListValue list) {
            g.writeStartArray();
            List<DynamoValue> elements = list.elements();
            for (int i = 0, count = elements.size(); i < count; i++) {
                writeExact(g, elements.get(i), numbers);
            }
            g.writeEndArray();
        } else {
            writePlain(g, v);
        }
    }

    private static void writeExactNumber(JsonText g, BigDecimal n, Numbers numbers) {
        if (numbers == Numbers.AS_WRITTEN) {
            g.writeNumber(n);
        } else if (CrateDbColumnRules.isLong(n)) {
            g.writeNumber(n.longValueExact());
        } else if (ExactNumbers.survivesDouble(n)) {
            g.writeDouble(n);
        } else {
            g.writeString(n.toString());
        }
    }

    /** S, B, BOOL, NULL, SS and BS: written the same way everywhere. */
    private static void writePlain(JsonText g, DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            g.writeString(s.value());
        } else if (v instanceof DynamoValue.Bin b) {
            g.writeString(b.base64());
        } else if (v instanceof DynamoValue.Bool b) {
            g.writeBoolean(b.value());
        } else if (v == DynamoValue.Null.INSTANCE) {
            g.writeNull();
        } else {
            g.writeStartArray();
            List<String> values = v instanceof DynamoValue.StrSet ss ? ss.values() : ((DynamoValue.BinSet) v).values();
            for (int k = 0, n = values.size(); k < n; k++) {
                g.writeString(values.get(k));
            }
            g.writeEndArray();
        }
    }

    /**
     * A top-level attribute into {@code data} if CrateDB takes it ({@link CrateDbColumnRules}),
     * checked in the walk that writes it: {@link Outcome#REFUSED} and {@link Outcome#UNDECIDED}
     * leave {@code g}, the column kinds and aux as they were.
     *
     * <p>Why this walk reaches the verdict of {@link CrateDbColumnRules#fits}, the walk that only
     * checks: it asks the same rules at the same values, in the same order, and stops at the same
     * first failure. The rules read a column's kind before the value there records it; a column
     * is met twice within one attribute only through the elements of a list, and both walks
     * record an element's fields before the next element is checked. What differs is how many
     * columns count towards {@value CrateDbColumnRules#MAX_DATA_COLUMNS}: this walk has recorded
     * at least as many as the check would have, so the limit is never reached where the check
     * would pass; where it is reached this walk cannot tell and answers UNDECIDED.
     */
    Outcome tryWriteSafe(JsonText g, String name, DynamoValue v) {
        JsonText.Position start = g.position();
        int mark = kinds.mark();
        ColumnKinds.Column column = kinds.child(kinds.top(), name);
        Outcome outcome = Outcome.REFUSED;
        if (column.hasValidName()) {
            g.writeFieldName(column);
            trail.start(name);
            outcome = write(g, column, v, Recording.RECORD, Checks.APPLY, 1);
        }
        if (outcome == Outcome.WRITTEN) {
            kinds.keep(mark);
            pendingExact.flushTo(aux);
        } else {
            kinds.rollback(mark);
            g.undoTo(start);
            pendingExact.clear();
        }
        return outcome;
    }

    /** A top-level attribute that {@link CrateDbColumnRules#fits} accepted, name and value, into {@code data}. */
    void writeSafe(JsonText g, String name, DynamoValue v) {
        ColumnKinds.Column column = kinds.child(kinds.top(), name);
        g.writeFieldName(column);
        trail.start(name);
        write(g, column, v, Recording.RECORD, Checks.DONE, 1);
        pendingExact.flushTo(aux);
    }

    /** {@code v} at {@code column}, {@code depth} levels down (a top-level attribute is 1). */
    private Outcome write(JsonText g, ColumnKinds.Column column, DynamoValue v, Recording recording, Checks checks,
                          int depth) {
        if (v == DynamoValue.Null.INSTANCE) {
            g.writeNull();
            return Outcome.WRITTEN;
        }
        // What the sink and the rows before decided, before this value records its own kind.
        ColumnKind known = column.kind();
        Checks below = checks;
        if (checks == Checks.APPLY) {
            if (known == null && kinds.size() >= CrateDbColumnRules.MAX_DATA_COLUMNS) {
                return Outcome.UNDECIDED;
            }
            if (ColumnKinds.OTHER.equals(known)) {
                below = Checks.DONE;   // the database's own type: nothing below it is judged
            } else if (!CrateDbColumnRules.nodeFits(known, v, depth)) {
                return Outcome.REFUSED;
            }
        }
        if (recording == Recording.RECORD) {
            kinds.recordOwn(column, v);
        }
        if (v instanceof DynamoValue.Num n) {
            writeNumber(g, column.kind(), n.value());
        } else if (v instanceof DynamoValue.MapValue m) {
            return writeFields(g, column, m, recording, below, depth);
        } else if (v instanceof DynamoValue.NumSet ns) {
            ColumnKind element = ColumnKind.elementOf(column.kind());
            g.writeStartArray();
            List<BigDecimal> numbers = ns.values();
            for (int i = 0, count = numbers.size(); i < count; i++) {
                trail.pushIndex(i);
                writeNumber(g, element, numbers.get(i));
                trail.pop();
            }
            g.writeEndArray();
        } else if (v instanceof DynamoValue.ListValue list) {
            return writeList(g, column, ColumnKind.elementOf(known), list, recording, below, depth);
        } else {
            writePlain(g, v);
        }
        return Outcome.WRITTEN;
    }

    /** An object at {@code column}: its fields are the sub-columns below it, a level down. */
    private Outcome writeFields(JsonText g, ColumnKinds.Column column, DynamoValue.MapValue m, Recording recording,
                                Checks checks, int depth) {
        g.writeStartObject();
        AttributeMap fields = AttributeMap.of(m.entries());
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.nameAt(i);
            ColumnKinds.Column sub = kinds.child(column, name);
            if (checks == Checks.APPLY && !sub.hasValidName()) {
                return Outcome.REFUSED;
            }
            g.writeFieldName(sub);
            trail.pushName(name);
            Outcome outcome = write(g, sub, fields.valueAt(i), recording, checks, depth + 1);
            if (outcome != Outcome.WRITTEN) {
                return outcome;
            }
            trail.pop();
        }
        g.writeEndObject();
        return Outcome.WRITTEN;
    }

    /**
     * Elements share the list's column: numbers take its element kind, objects its sub-columns.
     * {@code knownElement} is the element kind before this list recorded one, which the rules read.
     */
    private Outcome writeList(JsonText g, ColumnKinds.Column column, ColumnKind knownElement,
                              DynamoValue.ListValue list, Recording recording, Checks checks, int depth) {
        ColumnKind element = ColumnKind.elementOf(column.kind());
        g.writeStartArray();
        List<DynamoValue> elements = list.elements();
        for (int at = 0, count = elements.size(); at < count; at++) {
            DynamoValue e = elements.get(at);
            trail.pushIndex(at);
            if (e instanceof DynamoValue.MapValue m) {
                if (checks == Checks.APPLY && !CrateDbColumnRules.elementMapFits(depth)) {
                    return Outcome.REFUSED;
                }
                Outcome outcome = writeFields(g, column, m, recording, checks, depth);
                if (outcome != Outcome.WRITTEN) {
                    return outcome;
                }
            } else if (checks == Checks.APPLY && !CrateDbColumnRules.elementFits(knownElement, e)) {
                return Outcome.REFUSED;
            } else if (e instanceof DynamoValue.Num n) {
                writeNumber(g, element, n.value());
            } else {
                write(g, column, e, Recording.READ_ONLY, Checks.DONE, depth);
            }
            trail.pop();
        }
        g.writeEndArray();
        return Outcome.WRITTEN;
    }

    private void writeNumber(JsonText g, ColumnKind known, BigDecimal n) {
        if (ColumnKinds.INTEGRAL.equals(known) && CrateDbColumnRules.isLong(n)) {
            g.writeNumber(n.longValueExact());
        } else {
            writeDouble(g, n);
        }
    }

    /** Always with a '.' or exponent, so CrateDB types a new column DOUBLE, never BIGINT. */
    private void writeDouble(JsonText g, BigDecimal n) {
        g.writeDouble(n);
        if (!ExactNumbers.survivesDouble(n)) {
            pendingExact.add(trail.toString(), n.toString());
        }
    }

    /** A top-level attribute with a declared type, which {@link CrateDbColumnRules#fitsDeclared} accepted. */
    void writeDeclared(JsonText g, DeclaredTypes.DeclaredType type, DynamoValue v, String name)
            {
        if (v == DynamoValue.Null.INSTANCE) {
            g.writeNull();
            return;
        }
        trail.start(name);
        switch (type) {
            case TEXT -> {
                if (v instanceof DynamoValue.Num n) {
                    g.writeString(n.value().toString());
                } else if (v instanceof DynamoValue.Bool b) {
                    g.writeString(Boolean.toString(b.value()));
                } else {
                    writePlain(g, v);
                }
            }
            case BIGINT -> g.writeNumber(((DynamoValue.Num) v).value().longValueExact());
            case DOUBLE -> writeDouble(g, ((DynamoValue.Num) v).value());
            case BOOLEAN -> g.writeBoolean(((DynamoValue.Bool) v).value());
        }
        pendingExact.flushTo(aux);
    }

    /** Exact copies (where, exact text) in the order their numbers were written. */
    private static final class PendingCopies {
        private String[] texts = new String[8];
        private int size;

        void add(String where, String exactText) {
            if (size + 2 > texts.length) {
                texts = Arrays.copyOf(texts, texts.length * 2);
            }
            texts[size++] = where;
            texts[size++] = exactText;
        }

        void flushTo(AuxDocument aux) {
            for (int i = 0; i < size; i += 2) {
                aux.exactCopy(texts[i], texts[i + 1]);
            }
            clear();
        }

        void clear() {
            Arrays.fill(texts, 0, size, null);
            size = 0;
        }
    }

    /**
     * Where the value being written is, e.g. {@code lines[2].price}: kept as segments and spelled
     * out only when an exact copy needs the name.
     */
    private static final class Trail {
        private String[] names = new String[16];
        private int[] indexes = new int[16];
        private int depth;

        void start(String name) {
            depth = 0;
            pushName(name);
        }

        void pushName(String name) {
            grow();
            names[depth++] = name;
        }

        void pushIndex(int index) {
            grow();
            names[depth] = null;
            indexes[depth++] = index;
        }

        void pop() {
            depth--;
        }

        private void grow() {
            if (depth == names.length) {
                names = Arrays.copyOf(names, depth * 2);
                indexes = Arrays.copyOf(indexes, depth * 2);
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(names[0]);
            for (int i = 1; i < depth; i++) {
                if (names[i] == null) {
                    sb.append('[').append(indexes[i]).append(']');
                } else {
                    sb.append('.').append(names[i]);
                }
            }
            return sb.toString();
        }
    }
}
