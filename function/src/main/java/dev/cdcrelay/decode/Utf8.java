package dev.cdcrelay.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 check (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF.
 *
 * <p>Jackson decodes multi-byte sequences without these checks (it would turn the overlong
 * {@code C0 AF} into {@code /}), so the decoder validates the raw bytes once, up front.
 */
final class Utf8 {

    /** Reads eight bytes as one long (plain java.lang.invoke, no reflection; intrinsified by the JIT). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /** What {@link #scan} returns for valid UTF-8 that is all ASCII. */
    static final int ASCII = -1;
    /** What {@link #scan} returns for valid UTF-8 with at least one multi-byte sequence. */
    static final int VALID = -2;

    /**
     * The offset of the first byte of the first invalid sequence; or, when all of it is valid,
     * {@link #ASCII} or {@link #VALID}: the same pass tells whether any byte was not ASCII.
     */
    static int scan(byte[] b) {
        final int n = b.length;
        boolean ascii = true;
        int i = 0;
        while (i < n) {
            // ASCII fast path, 32 then eight bytes at a time.
            while (i + 32 <= n && (((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8) | (long) LONGS.get(b, i + 16)
                    | (long) LONGS.get(b, i + 24)) & 0x8080808080808080L) == 0) {
                i += 32;
            }
            while (i + 8 <= n && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            ascii = false;
            int start = i;
            if (c >= 0xC2 && c <= 0xDF) {
                if (!cont(b, i + 1, 0x80, 0xBF)) {
                    return start;
                }
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                int lo = c == 0xE0 ? 0xA0 : 0x80;
                int hi = c == 0xED ? 0x9F : 0xBF;
                if (!cont(b, i + 1, lo, hi) || !cont(b, i + 2, 0x80, 0xBF)) {
                    return start;
                }
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                int lo = c == 0xF0 ? 0x90 : 0x80;
                int hi = c == 0xF4 ? 0x8F : 0xBF;
                if (!cont(b, i + 1, lo, hi) || !cont(b, i + 2, 0x80, 0xBF) || !cont(b, i + 3, 0x80, 0xBF)) {
                    return start;
                }
                i += 4;
            } else {
                return start;
            }
        }
        return ascii ? ASCII : VALID;
    }

    private static boolean cont(byte[] b, int i, int lo, int hi) {
        if (i >= b.length) {
            return false;
        }
        int c = b[i] & 0xff;
        return c >= lo && c <= hi;
    }
}
