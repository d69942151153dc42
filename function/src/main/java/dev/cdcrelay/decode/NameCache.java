package dev.cdcrelay.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    private static final int SLOTS = 512;
    private static final int MAX_CACHED_BYTES = 64;
    private static final ThreadLocal<NameCache> PER_THREAD = ThreadLocal.withInitial(NameCache::new);

    private static final int SHORT_SLOTS = 512;
    /** Names up to this many bytes are their own key (two longs and the length). */
    private static final int MAX_SHORT_BYTES = 2 * Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] shortFirstWords = new long[SHORT_SLOTS];
    private final long[] shortSecondWords = new long[SHORT_SLOTS];
    private final byte[] shortLengths = new byte[SHORT_SLOTS];
    private final String[] shortNames = new String[SHORT_SLOTS];
    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];

    private NameCache() {
    }

    static NameCache forThisThread() {
        return PER_THREAD.get();
    }

    /** The name in {@code b[from, to)}. */
    String name(byte[] b, int from, int to) {
        int length = to - from;
        if (length <= MAX_SHORT_BYTES && from + MAX_SHORT_BYTES <= b.length) {
            return shortName(b, from, length);
        }
        if (length > MAX_CACHED_BYTES) {
            return new String(b, from, length, StandardCharsets.UTF_8);
        }
        int h = length;
        for (int k = from; k < to; k++) {
            h = 31 * h + b[k];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        byte[] cached = bytes[slot];
        if (cached != null && sameBytes(cached, b, from, length)) {
            return names[slot];
        }
        String name = new String(b, from, length, StandardCharsets.UTF_8);
        bytes[slot] = Arrays.copyOfRange(b, from, to);
        names[slot] = name;
        return name;
    }

    /**
     * A name of at most sixteen bytes is its own key: the bytes as two longs (those past the name
     * masked off) and the length. Two comparisons instead of a hash and a byte loop; the envelope's
     * names (eventName, tableName, recordFormat, ...) are of this size.
     */
    private String shortName(byte[] b, int from, int length) {
        long first = (long) LONGS.get(b, from);
        long second = (long) LONGS.get(b, from + Long.BYTES);
        if (length <= Long.BYTES) {
            first = length == Long.BYTES ? first : first & ((1L << (length << 3)) - 1);
            second = 0;
        } else if (length < MAX_SHORT_BYTES) {
            second &= (1L << ((length - Long.BYTES) << 3)) - 1;
        }
        long mixed = (first * 0x9E3779B97F4A7C15L + second) * 0xC2B2AE3D27D4EB4FL + length;
        int slot = (int) (mixed >>> 55) & (SHORT_SLOTS - 1);
        String cached = shortNames[slot];
        if (cached != null && shortFirstWords[slot] == first && shortSecondWords[slot] == second
                && shortLengths[slot] == length) {
            return cached;
        }
        String name = new String(b, from, length, StandardCharsets.UTF_8);
        shortFirstWords[slot] = first;
        shortSecondWords[slot] = second;
        shortLengths[slot] = (byte) length;
        shortNames[slot] = name;
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
