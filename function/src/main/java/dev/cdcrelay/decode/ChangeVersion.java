package dev.cdcrelay.decode;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a change sits in its item's history: the change time in microseconds, then the Kinesis
 * sequence number to break ties. AWS recommends ApproximateCreationDateTime for ordering and
 * de-duplication because delivery is neither ordered nor exactly-once.
 *
 * <p>{@link #sortKey()} is a fixed-width text whose plain string order equals this order; it is
 * what the sink stores, so that one SQL comparison decides "newer".
 */
public record ChangeVersion(long micros, String sequenceNumber) implements Comparable<ChangeVersion> {

    /** Kinesis sequence numbers are decimal strings of up to 128 digits (in practice 56). */
    public static final int SEQUENCE_WIDTH = 128;
    private static final int MICROS_WIDTH = 20;
    /** The key of time 0 and sequence number 0, which {@link #sortKey()} fills in. */
    private static final byte[] ZERO_KEY = ("0".repeat(MICROS_WIDTH) + ":" + "0".repeat(SEQUENCE_WIDTH))
            .getBytes(StandardCharsets.ISO_8859_1);

    public ChangeVersion {
        if (micros < 0) {
            throw new IllegalArgumentException("change time must not be negative: " + micros);
        }
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (!isSequenceNumber(sequenceNumber)) {
            throw new IllegalArgumentException(
                    "sequence number must be 1.." + SEQUENCE_WIDTH + " decimal digits: '" + sequenceNumber + "'");
        }
    }

    /** Kinesis's rule: 1 to {@value #SEQUENCE_WIDTH} ASCII decimal digits. */
    static boolean isSequenceNumber(String s) {
        if (s.isEmpty() || s.length() > SEQUENCE_WIDTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(ChangeVersion other) {
        int byTime = Long.compare(micros, other.micros);
        if (byTime != 0) {
            return byTime;
        }
        String a = stripLeadingZeros(sequenceNumber);
        String b = stripLeadingZeros(other.sequenceNumber);
        int byLength = Integer.compare(a.length(), b.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    public boolean isNewerThan(ChangeVersion other) {
        return compareTo(other) > 0;
    }

    /** Fixed-width text, e.g. {@code 00001720742302233719:000...0049545115243447035725467}. */
    @SuppressWarnings("deprecation")   // getBytes(int, int, byte[], int): exact for the ASCII digits it is given
    public String sortKey() {
        // The digits written into a copy of the all-zero key, then one String of it. Not a
        // concatenation: the build compiles those as StringBuilder calls (-XDstringConcat=inline,
        // root pom), and this way a seed record's decode and plan ran ~4 % faster with C2
        // (docs/performance.md, "Decode and plan").
        byte[] key = ZERO_KEY.clone();
        long rest = micros;
        for (int at = MICROS_WIDTH - 1; rest > 0; at--) {
            key[at] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        int digitsFrom = firstSignificant(sequenceNumber);
        int end = sequenceNumber.length();
        sequenceNumber.getBytes(digitsFrom, end, key, key.length - (end - digitsFrom));
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    /** Index of the first digit that is not a leading zero (the last digit of an all-zero number). */
    private static int firstSignificant(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    private static String stripLeadingZeros(String digits) {
        return digits.substring(firstSignificant(digits));
    }
}
