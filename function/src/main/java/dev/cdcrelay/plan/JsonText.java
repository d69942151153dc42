package dev.cdcrelay.plan;

import dev.cdcrelay.decode.JsonStrings;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal JSON writer, spelled as jackson's {@code JsonGenerator} with default settings spells
 * its output (same escaping, numbers as given, BigDecimal by {@code toString()}), without a
 * generator's set-up cost per row. The caller keeps the nesting right; nothing is checked.
 *
 * <p>The text is kept as Latin-1 bytes, one per char, which is how a {@code String} of such chars
 * holds them, so {@link #toString()} is one copy. Java 17's {@code StringBuilder} checks its
 * capacity and its coder on every append; these were ~19 % of planning a nested item. The first
 * char beyond Latin-1 moves the text into a {@code StringBuilder} for the rest of the row (rare:
 * names and values are mostly ASCII).
 */
final class JsonText {

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private byte[] bytes;
    private int size;
    /** The text once a char beyond Latin-1 was written; then {@link #bytes} is not read until {@link #clear}. */
    private StringBuilder wide;
    /** The next value or field of the current object or array follows another one. */
    private boolean afterValue;
    /** Every text given to this writer is plain (see {@link #textsArePlain}): none is checked. */
    private boolean plainTexts;

    JsonText(int capacity) {
        bytes = new byte[capacity];
    }

    /**
     * Empty again, to write another text; the buffer is kept unless it grew beyond
     * {@code maxCapacity}, then it starts again at {@code capacity}.
     */
    void clear(int capacity, int maxCapacity) {
        if (bytes == null || bytes.length > maxCapacity) {
            bytes = new byte[capacity];
        }
        size = 0;
        wide = null;
        afterValue = false;
        plainTexts = false;
    }

    /**
     * Until {@link #clear}, every name and string written is Latin-1 and holds no char JSON
     * escapes, so each is copied without looking at its chars: for a decoded image that
     * {@link dev.cdcrelay.decode.AttributeMap#textsArePlain() says so}.
     */
    void textsArePlain(boolean plain) {
        plainTexts = plain;
    }

    void writeStartObject() {
        separate();
        put('{');
        afterValue = false;
    }

    void writeEndObject() {
        put('}');
        afterValue = true;
    }

    void writeStartArray() {
        separate();
        put('[');
        afterValue = false;
    }

    void writeEndArray() {
        put(']');
        afterValue = true;
    }

    void writeFieldName(String name) {
        separate();
        putQuoted(name);
        put(':');
        afterValue = false;
    }

    /**
     * The name of a sub-column of {@code data}, spelled once per column with the comma before it
     * ({@link ColumnKinds.Column#fieldBytes()}): one copy instead of three appends.
     */
    void writeFieldName(ColumnKinds.Column column) {
        byte[] spelled = column.fieldBytes();
        if (spelled != null && wide == null) {
            int from = afterValue ? 0 : 1;
            int n = spelled.length - from;
            ensure(n);
            System.arraycopy(spelled, from, bytes, size, n);
            size += n;
        } else {
            widen();
            wide.append(column.fieldName(afterValue));
        }
        afterValue = false;
    }

    void writeString(String s) {
        separate();
        putQuoted(s);
        afterValue = true;
    }

    /**
     * A string given as its bytes {@code b[from, to)}: ASCII, and none of them a char JSON escapes
     * (a text of an all-ASCII record, which holds no escape), so they are the JSON string's chars.
     */
    void writeAsciiString(byte[] b, int from, int to) {
        separate();
        int n = to - from;
        if (wide != null) {
            wide.append('"').append(new String(b, from, n, StandardCharsets.ISO_8859_1)).append('"');
        } else {
            ensure(n + 2);
            byte[] out = bytes;
            int at = size;
            out[at] = '"';
            System.arraycopy(b, from, out, at + 1, n);
            out[at + n + 1] = '"';
            size = at + n + 2;
        }
        afterValue = true;
    }

    /** A number already spelled as JSON. */
    void writeNumber(String text) {
        separate();
        putLatin1(text);
        afterValue = true;
    }

    void writeNumber(long n) {
        separate();
        putLong(n);
        afterValue = true;
    }

    /** The shortest text of {@code n.doubleValue()}, as Java 19 and later spell it ({@link DoubleText}). */
    void writeDouble(BigDecimal n) {
        separate();
        DoubleText.append(this, n);
        afterValue = true;
    }

    void writeNumber(BigDecimal n) {
        writeNumber(n.toString());
    }

    void writeBoolean(boolean b) {
        separate();
        putAscii(b ? TRUE : FALSE);
        afterValue = true;
    }

    void writeNull() {
        separate();
        putAscii(NULL);
        afterValue = true;
    }

    private void separate() {
        if (afterValue) {
            put(',');
        }
    }

    /** One ASCII char. */
    void put(char c) {
        if (wide != null) {
            wide.append(c);
            return;
        }
        if (size == bytes.length) {
            grow(1);
        }
        bytes[size++] = (byte) c;
    }

    private void putAscii(byte[] text) {
        if (wide != null) {
            wide.append(new String(text, StandardCharsets.ISO_8859_1));
            return;
        }
        ensure(text.length);
        System.arraycopy(text, 0, bytes, size, text.length);
        size += text.length;
    }

    /** A text known to hold only Latin-1 chars (a number's spelling). */
    @SuppressWarnings("deprecation")   // getBytes(int, int, byte[], int) copies each char's low byte: exact here
    void putLatin1(String text) {
        if (wide != null) {
            wide.append(text);
            return;
        }
        int n = text.length();
        ensure(n);
        text.getBytes(0, n, bytes, size);
        size += n;
    }

    /** {@code s} as a JSON string, quotes included. */
    @SuppressWarnings("deprecation")   // getBytes(int, int, byte[], int): exact for the Latin-1 chars it is given
    private void putQuoted(String s) {
        int n = s.length();
        if (wide == null && (plainTexts || isPlainLatin1(s, n))) {
            ensure(n + 2);
            byte[] out = bytes;
            int at = size;
            out[at] = '"';
            s.getBytes(0, n, out, at + 1);
            out[at + n + 1] = '"';
            size = at + n + 2;
            return;
        }
        widen();
        JsonStrings.appendQuoted(wide, s);
    }

    /** No char beyond Latin-1 and none that JSON escapes ({@link JsonStrings}: control chars, quote, backslash). */
    private static boolean isPlainLatin1(String s, int n) {
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** The digits of {@code n}, as {@code Long.toString} spells them. */
    void putLong(long n) {
        if (wide != null) {
            wide.append(n);
            return;
        }
        if (n < 0) {
            if (n == Long.MIN_VALUE) {
                putLatin1(Long.toString(n));
                return;
            }
            put('-');
            n = -n;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && p <= n; p *= 10) {
            digits++;
        }
        ensure(digits);
        byte[] out = bytes;
        int at = size + digits;
        size = at;
        do {
            long q = n / 10;
            out[--at] = (byte) ('0' + (n - q * 10));
            n = q;
        } while (n != 0);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            grow(more);
        }
    }

    private void grow(int more) {
        bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }

    /** From here on the text goes into a {@code StringBuilder}. */
    private void widen() {
        if (wide == null) {
            wide = new StringBuilder(size * 2 + 64).append(new String(bytes, 0, size, StandardCharsets.ISO_8859_1));
        }
    }

    /** Where the text is now, to return to with {@link #undoTo}. */
    record Position(int length, boolean afterValue) {
    }

    Position position() {
        return new Position(length(), afterValue);
    }

    /** Drops what was written since {@code position}. */
    void undoTo(Position position) {
        if (wide != null) {
            wide.setLength(position.length());   // one char per byte before it widened: the same length
        } else {
            size = position.length();
        }
        afterValue = position.afterValue();
    }

    /** Chars written so far. */
    int length() {
        return wide != null ? wide.length() : size;
    }

    @Override
    public String toString() {
        return wide != null ? wide.toString() : new String(bytes, 0, size, StandardCharsets.ISO_8859_1);
    }
}
