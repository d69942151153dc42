package dev.cdcrelay.write;

import dev.cdcrelay.plan.DoubleText;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A row's {@code _id} in CrateDB, computed from its primary-key values the way CrateDB 6.4 does
 * ({@code io.crate.analyze.Id.encode}; checked against a real server in {@code CrateDbRowIdTest}):
 * with one key column the value's text; with several, Base64 of the count as a variable-length
 * int, then each value's UTF-8 bytes behind their length, in primary-key order (tables without
 * {@code CLUSTERED BY}, as the relay makes them). Numbers are Java's own text of the bound value,
 * as CrateDB makes it from the stored type ({@code 1.0E20}, {@code -5}); a double's as Java 19 and
 * later spell it ({@link DoubleText#shortest}), which CrateDB runs on.
 *
 * <p>Why: CrateDB plans a look-up of up to a thousand literal ids as one real-time get,
 * where OR-ed composite-key equalities turn into a scan beyond ~50 keys (its equality extractor
 * expands them pairwise). A row that this id does not find is read again by key, so an id that
 * differs from the server's costs one more read, never a row.
 */
final class CrateDbRowId {

    private CrateDbRowId() {
    }

    /** The id, or empty when a value's text could not be sent inside a SQL literal (a control character). */
    static Optional<String> of(List<Object> keyValues) {
        if (keyValues.size() == 1) {
            String only = text(keyValues.get(0));
            return fitsLiteral(only) ? Optional.of(only) : Optional.empty();
        }
        byte[][] values = new byte[keyValues.size()][];
        int size = 5;
        for (int i = 0; i < values.length; i++) {
            values[i] = text(keyValues.get(i)).getBytes(StandardCharsets.UTF_8);
            size += 5 + values[i].length;
        }
        byte[] out = new byte[size];
        int at = writeVInt(out, 0, values.length);
        for (byte[] v : values) {
            at = writeVInt(out, at, v.length);
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return Optional.of(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(out, at)));
    }

    private static String text(Object keyValue) {
        return keyValue instanceof Double d ? DoubleText.shortest(d) : String.valueOf(keyValue);
    }

    private static int writeVInt(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** A NUL would end the query text on the wire; other control characters are kept out to be plain. */
    private static boolean fitsLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                return false;
            }
        }
        return true;
    }
}
