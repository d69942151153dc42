package dev.cdcrelay.decode;

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
    /** {@code ZEROS[n]} is n zeros, the padding of {@link #sortKey()}. */
    private static final String[] ZEROS = new String[SEQUENCE_WIDTH + 1];

    static {
        for (int n = 0; n <= SEQUENCE_WIDTH; n++) {
            ZEROS[n] = "0".repeat(n);
        }
    }

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
    public String sortKey() {
        // One concatenation: the JDK sizes it exactly and makes the String from its own array.
        // Filling an array and copying it into a String was two 168-byte arrays per row, 14 % of
        // the bytes a seed record allocates from decode to plan.
        int digitsFrom = firstSignificant(sequenceNumber);
        String digits = digitsFrom == 0 ? sequenceNumber : sequenceNumber.substring(digitsFrom);
        return ZEROS[MICROS_WIDTH - decimalDigits(micros)] + micros + ":" + ZEROS[SEQUENCE_WIDTH - digits.length()]
                + digits;
    }

    /** The number of digits {@code Long.toString} gives a non-negative {@code n}. */
    private static int decimalDigits(long n) {
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
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
