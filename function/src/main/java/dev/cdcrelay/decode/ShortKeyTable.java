package dev.cdcrelay.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A direct-mapped table whose keys are texts of at most {@value #MAX_KEY_BYTES} bytes, each its own
 * key: the bytes as two little-endian longs, the bytes past the text zeroed. The texts are JSON
 * strings without escapes, so no byte of them is zero (a control char ends a string): the zeros
 * tell the length. A look-up is two long comparisons in one cache line, never a loop over the
 * bytes; a slot holds the last entry that mapped to it (a miss just makes the value and replaces).
 * Not thread-safe: one per thread.
 */
final class ShortKeyTable<V> {

    static final int MAX_KEY_BYTES = 2 * Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Both key words of slot {@code s} at {@code 2s} and {@code 2s + 1}: one line to load, not two. */
    private final long[] keys;
    private final Object[] values;
    private final int slotBits;

    /** @param slotBits the table has {@code 2^slotBits} slots */
    ShortKeyTable(int slotBits) {
        keys = new long[2 << slotBits];
        values = new Object[1 << slotBits];
        this.slotBits = slotBits;
    }

    /** {@code word}, read from the text's first byte on, with the bytes from {@code length} on zeroed. */
    static long firstWord(long word, int length) {
        return length >= Long.BYTES ? word : word & ((1L << (length << 3)) - 1);
    }

    /** {@code word}, read from the text's ninth byte on, with the bytes from {@code length} on zeroed. */
    static long secondWord(long word, int length) {
        return length <= Long.BYTES ? 0 : length >= MAX_KEY_BYTES ? word : word & ((1L << ((length - Long.BYTES) << 3)) - 1);
    }

    /** Eight bytes from {@code b[from]} on as one little-endian long. */
    static long word(byte[] b, int from) {
        return (long) LONGS.get(b, from);
    }

    /** The first key word of the text at {@code b[from, from + length)}; needs {@code from + 16 <= b.length}. */
    static long firstWord(byte[] b, int from, int length) {
        return firstWord((long) LONGS.get(b, from), length);
    }

    /** The second key word of the text at {@code b[from, from + length)}; needs {@code from + 16 <= b.length}. */
    static long secondWord(byte[] b, int from, int length) {
        return secondWord((long) LONGS.get(b, from + Long.BYTES), length);
    }

    /** The slot of a key; the same key always maps to the same slot. */
    int slot(long first, long second) {
        long mixed = (first * 0x9E3779B97F4A7C15L + second) * 0xC2B2AE3D27D4EB4FL;
        return (int) (mixed >>> (Long.SIZE - slotBits));
    }

    /** The value at {@code slot} if that slot holds this key, else null. */
    @SuppressWarnings("unchecked")
    V get(int slot, long first, long second) {
        int k = slot << 1;
        return keys[k] == first && keys[k + 1] == second ? (V) values[slot] : null;
    }

    void put(int slot, long first, long second, V value) {
        int k = slot << 1;
        keys[k] = first;
        keys[k + 1] = second;
        values[slot] = value;
    }
}
