package dev.cdcrelay.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;

/**
 * Reads a {@link RawImage}'s bytes one token at a time, for a writer that turns them into JSON
 * of its own without building the attributes. The bytes were checked when the record was read
 * (compact JSON, strings without escapes, valid numbers, no duplicate names), so nothing is
 * checked again here: each call must be the one the grammar allows at that point.
 *
 * <p>An image is {@code {"name":{"T":value},...}}. A writer calls {@link #startObject}, then
 * {@link #hasNext} and {@link #name} for each attribute, {@link #type} for its value object,
 * reads the value by its type ({@link #text}, {@link #number}, {@link #bool}, {@link #nul},
 * {@link #startObject} for M, {@link #startArray} for L and the sets) and ends it with
 * {@link #endValue}. {@link #position} and {@link #reset} go back to a value, and {@link #value}
 * builds it as the record's reader does.
 */
public final class ImageReader {

    /** The type keys of DynamoDB's attribute values. */
    public enum Type { S, N, B, BOOL, NULL, M, L, SS, NS, BS }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** A number that is not plain (a zero, an exponent, many digits) copies its few chars into an array of its own: no buffer per reader. */
    private static final char[] NO_SCRATCH = new char[0];

    private final byte[] b;
    private final NameCache names = NameCache.forThisThread();
    private int i;
    private int textStart;
    private int textEnd;

    ImageReader(byte[] json) {
        this.b = json;
    }

    /** Past the {@code {} of an object: the image, an M's value, or a map in a list. */
    public void startObject() {
        i++;
    }

    /** Past the {@code [} of an L's or a set's value. */
    public void startArray() {
        i++;
    }

    /** Whether another attribute or element follows; if not, past the object's or array's end. */
    public boolean hasNext() {
        byte c = b[i];
        if (c == ',') {
            i++;
            return true;
        }
        if (c == '}' || c == ']') {
            i++;
            return false;
        }
        return true;
    }

    /** The next attribute's name (the same instance the record's reader gives for it), past its colon. */
    public String name() {
        int start = i + 1;
        int end = quote(start);
        i = end + 2;
        return names.name(b, start, end);
    }

    /** The type key of the value object here, past {@code {"T":}. */
    public Type type() {
        int start = i + 2;
        byte t0 = b[start];
        byte t1 = b[start + 1];
        Type type;
        if (t1 == '"') {
            type = switch (t0) {
                case 'S' -> Type.S;
                case 'N' -> Type.N;
                case 'B' -> Type.B;
                case 'M' -> Type.M;
                default -> Type.L;
            };
            i = start + 3;
        } else if (b[start + 2] == '"') {
            type = t0 == 'S' ? Type.SS : t0 == 'N' ? Type.NS : Type.BS;
            i = start + 4;
        } else {
            type = t0 == 'B' ? Type.BOOL : Type.NULL;
            i = start + 6;
        }
        return type;
    }

    /** Past the {@code }} that ends a value object. */
    public void endValue() {
        i++;
    }

    /** Reads a string (an S, B or a set's element): its bytes are {@link #bytes()} from {@link #textStart()} to {@link #textEnd()}. */
    public void text() {
        textStart = i + 1;
        textEnd = quote(textStart);
        i = textEnd + 1;
    }

    public byte[] bytes() {
        return b;
    }

    public int textStart() {
        return textStart;
    }

    public int textEnd() {
        return textEnd;
    }

    /** Reads an N's (or a number set element's) value, as the record's reader builds it. */
    public BigDecimal number() {
        text();
        return DynamoNumbers.parseAscii(b, textStart, textEnd, NO_SCRATCH);
    }

    /** Reads a BOOL's value. */
    public boolean bool() {
        if (b[i] == 't') {
            i += 4;
            return true;
        }
        i += 5;
        return false;
    }

    /** Reads a NULL's value ({@code true}). */
    public void nul() {
        i += 4;
    }

    /** Where the reader is: before a value object, to {@link #reset} to. */
    public int position() {
        return i;
    }

    public void reset(int position) {
        i = position;
    }

    /** The value object here, built as the record's reader builds it; the reader goes past it. */
    public DynamoValue value() {
        DynamoValue v = CompactRecordReader.value(b, i);
        skipValue();
        return v;
    }

    /** Past the rest of the value object whose type key was read ({@link #type}), its {@code }} included. */
    public void skipRest() {
        byte c = b[i];
        if (c == '"') {
            i = quote(i + 1) + 1;
        } else if (c == 't') {
            i += 4;
        } else if (c == 'f') {
            i += 5;
        } else {
            skipValue();
        }
        endValue();
    }

    /** Past the value object or array here: strings hold no quote, so brackets outside them count. */
    private void skipValue() {
        int depth = 0;
        do {
            byte c = b[i];
            if (c == '"') {
                i = quote(i + 1);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            i++;
        } while (depth > 0);
    }

    /** The closing quote of the string whose first byte is at {@code from}: strings hold no escapes. */
    private int quote(int from) {
        final byte[] bytes = b;
        int k = from;
        while (k + 8 <= bytes.length) {
            long x = (long) LONGS.get(bytes, k) ^ QUOTES;
            long flags = (x - ONES) & ~x & HIGH_BITS;
            if (flags != 0) {
                return k + CompactRecordReader.firstFlagged(flags);
            }
            k += 8;
        }
        while (bytes[k] != '"') {
            k++;
        }
        return k;
    }
}
