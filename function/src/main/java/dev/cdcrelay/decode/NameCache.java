package dev.cdcrelay.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The names of one thread's recent records as strings, so that a name seen before is not decoded
 * and hashed again: records of one table repeat the same few dozen names. A direct-mapped table
 * of {@value #SLOTS} slots; a slot holds the last name that hashed to it (a miss just decodes and
 * replaces). Only names up to {@value #MAX_CACHED_BYTES} bytes are kept, so the table stays small.
 * The bytes are strict UTF-8 already ({@link PayloadCheck}).
 */
final class NameCache {

    private static final int SLOT_BITS = 9;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int MAX_CACHED_BYTES = 64;
    private static final ThreadLocal<NameCache> PER_THREAD = ThreadLocal.withInitial(NameCache::new);

    /** Names of up to sixteen bytes are their own key ({@link ShortKeyTable}). */
    private final ShortKeyTable<String> shortNames = new ShortKeyTable<>(9);
    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];

    private NameCache() {
    }

    static NameCache forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * The name in {@code b[from, to)}: the bytes of a JSON string without escapes, so none is below
     * 0x20 (the short names are keyed on that: {@link ShortKeyTable}).
     */
    String name(byte[] b, int from, int to) {
        int length = to - from;
        if (length <= ShortKeyTable.MAX_KEY_BYTES && from + ShortKeyTable.MAX_KEY_BYTES <= b.length) {
            return shortName(ShortKeyTable.firstWord(b, from, length), ShortKeyTable.secondWord(b, from, length), b,
                    from, length);
        }
        if (length > MAX_CACHED_BYTES) {
            return new String(b, from, length, StandardCharsets.UTF_8);
        }
        int slot = slot(b, from, to);
        byte[] cached = bytes[slot];
        if (cached != null && (length > ShortKeyTable.MAX_KEY_BYTES ? Arrays.equals(cached, 0, cached.length, b, from, to)
                : sameBytes(cached, b, from, length))) {
            return names[slot];
        }
        String name = new String(b, from, length, StandardCharsets.UTF_8);
        bytes[slot] = Arrays.copyOfRange(b, from, to);
        names[slot] = name;
        return name;
    }

    /**
     * Makes {@code name} itself the instance this cache gives for its bytes (until a name of the
     * same slot replaces it). The readers switch on field names: a switch on a String compares
     * with {@code equals}, which is quick only for the constant's own instance; a decoded copy is
     * compared byte by byte.
     */
    void keep(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        int length = b.length;
        if (length <= ShortKeyTable.MAX_KEY_BYTES) {
            byte[] padded = Arrays.copyOf(b, ShortKeyTable.MAX_KEY_BYTES);
            long first = ShortKeyTable.firstWord(padded, 0, length);
            long second = ShortKeyTable.secondWord(padded, 0, length);
            shortNames.put(shortNames.slot(first, second), first, second, name);
        } else if (length <= MAX_CACHED_BYTES) {
            int slot = slot(b, 0, length);
            bytes[slot] = b;
            names[slot] = name;
        }
    }

    /** The slot of a name of more than sixteen bytes, {@code b[from, to)}. */
    private static int slot(byte[] b, int from, int to) {
        int length = to - from;
        if (length > ShortKeyTable.MAX_KEY_BYTES) {
            // From the first, second and last eight bytes, not byte by byte: the long envelope
            // names (ApproximateCreationDateTimePrecision, ...) were ~5 % of a seed record.
            long mixed = (ShortKeyTable.word(b, from) * 0x9E3779B97F4A7C15L + ShortKeyTable.word(b, from + 8))
                    * 0xC2B2AE3D27D4EB4FL + ShortKeyTable.word(b, to - Long.BYTES) * 31 + length;
            return (int) (mixed >>> (Long.SIZE - SLOT_BITS));
        }
        int h = length;
        for (int k = from; k < to; k++) {
            h = 31 * h + b[k];
        }
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /**
     * A name of at most sixteen bytes, given as its key words ({@link ShortKeyTable#firstWord},
     * {@link ShortKeyTable#secondWord}), found in {@code b[from, from + length)}. Two comparisons
     * instead of a hash and a byte loop; the envelope's names (eventName, tableName, recordFormat,
     * ...) are of this size.
     */
    String shortName(long first, long second, byte[] b, int from, int length) {
        int slot = shortNames.slot(first, second);
        String cached = shortNames.get(slot, first, second);
        if (cached != null) {
            return cached;
        }
        String name = new String(b, from, length, StandardCharsets.UTF_8);
        shortNames.put(slot, first, second, name);
        return name;
    }

    /** Arrays.equals on ranges, without its set-up cost for names of a few bytes. */
    private static boolean sameBytes(byte[] cached, byte[] b, int from, int length) {
        if (cached.length != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (cached[k] != b[from + k]) {
                return false;
            }
        }
        return true;
    }
}
