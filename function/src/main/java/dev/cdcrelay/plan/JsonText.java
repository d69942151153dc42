package dev.cdcrelay.plan;

import dev.cdcrelay.decode.JsonStrings;

import java.math.BigDecimal;

/**
 * A minimal JSON writer into a {@link StringBuilder}, spelled as jackson's {@code JsonGenerator}
 * with default settings spells its output (same escaping, numbers as given, BigDecimal by
 * {@code toString()}), without a generator's set-up cost per row. The caller keeps the nesting
 * right; nothing is checked.
 */
final class JsonText {

    private final StringBuilder out;
    /** The next value or field of the current object or array follows another one. */
    private boolean afterValue;

    JsonText(int capacity) {
        out = new StringBuilder(capacity);
    }

    void writeStartObject() {
        separate();
        out.append('{');
        afterValue = false;
    }

    void writeEndObject() {
        out.append('}');
        afterValue = true;
    }

    void writeStartArray() {
        separate();
        out.append('[');
        afterValue = false;
    }

    void writeEndArray() {
        out.append(']');
        afterValue = true;
    }

    void writeFieldName(String name) {
        separate();
        quote(name);
        out.append(':');
        afterValue = false;
    }

    /**
     * The name of a sub-column of {@code data}, spelled once per column with the comma before it
     * and without: one append instead of three.
     */
    void writeFieldName(ColumnKinds.Column column) {
        out.append(column.fieldName(afterValue));
        afterValue = false;
    }

    void writeString(String s) {
        out.append(afterValue ? ",\"" : "\"");
        JsonStrings.appendEscaped(out, s);
        out.append('"');
        afterValue = true;
    }

    /** A number already spelled as JSON. */
    void writeNumber(String text) {
        separate();
        out.append(text);
        afterValue = true;
    }

    void writeNumber(long n) {
        separate();
        out.append(n);
        afterValue = true;
    }

    /** {@code Double.toString(n.doubleValue())}, the short way where it is the same text ({@link DoubleText}). */
    void writeDouble(BigDecimal n) {
        separate();
        DoubleText.append(out, n);
        afterValue = true;
    }

    void writeNumber(BigDecimal n) {
        writeNumber(n.toString());
    }

    void writeBoolean(boolean b) {
        separate();
        out.append(b);
        afterValue = true;
    }

    void writeNull() {
        separate();
        out.append("null");
        afterValue = true;
    }

    private void separate() {
        if (afterValue) {
            out.append(',');
        }
    }

    private void quote(String s) {
        JsonStrings.appendQuoted(out, s);
    }

    /** Where the text is now, to return to with {@link #undoTo}. */
    record Position(int length, boolean afterValue) {
    }

    Position position() {
        return new Position(out.length(), afterValue);
    }

    /** Drops what was written since {@code position}. */
    void undoTo(Position position) {
        out.setLength(position.length());
        afterValue = position.afterValue();
    }

    /** Chars written so far. */
    int length() {
        return out.length();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
