package dev.cdcrelay.plan;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.math.BigDecimal;

/**
 * The text of a double as Java 19 and later spell it ({@code Double.toString}: the shortest
 * decimal that names the double), on every Java: {@link #shortest}. Java 17's conversion is not
 * always the shortest (18 % of random doubles, e.g. {@code 1.9999999999999998E23} for
 * {@code 2.0E23}; measured on 17.0.15); CrateDB, which runs a newer Java, reads and writes the
 * shortest, and the image runs Java 21. One text everywhere keeps what the relay writes, the row
 * ids it computes ({@code CrateDbRowId}) and the keys it reads back the same whichever Java runs it.
 *
 * <p>{@link #append} spells a number from the decimal itself where that gives the same text: the
 * general conversion costs several times more (on Java 17 it was ~7 % of planning a nested item).
 * Every other number goes through the double.
 *
 * <ul>
 *   <li>A whole number of at most {@value #WHOLE_DIGITS} digits: its digits and ".0" (the
 *       specification of {@code Double.toString}; from 10^7 on it switches to computerized
 *       notation).</li>
 *   <li>A number with a fraction, at most {@value #PLAIN_DIGITS} significant digits and a
 *       magnitude from 10^-3 to below 10^7: its digits without trailing zeros, in plain notation.
 *       Two decimals of at most 15 digits never name the same double, so its shortest spelling
 *       is the decimal itself; Java 17's conversion, which is not always the shortest beyond 15
 *       digits, gives it too (checked by DoubleTextTest on the JVM that runs it, and once for
 *       all 88.9 million such numbers of up to 7 digits on Java 17 and 25).</li>
 * </ul>
 */
public final class DoubleText {

    static final int WHOLE_DIGITS = 7;
    static final int PLAIN_DIGITS = 15;
    /** Double.toString writes plain notation for magnitudes from 10^-3 to below 10^7. */
    private static final int MIN_PLAIN_EXPONENT = -3;
    private static final int MAX_PLAIN_EXPONENT = 6;
    private static final long[] POWERS_OF_TEN = new long[PLAIN_DIGITS + 3];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private DoubleText() {
    }

    static void append(JsonText out, BigDecimal n) {
        int scale = n.scale();
        int precision = n.precision();
        if (scale == 0 && precision <= WHOLE_DIGITS) {
            out.putLong(n.longValue());
            out.put('.');
            out.put('0');
            return;
        }
        if (scale > 0 && precision <= PLAIN_DIGITS && n.signum() != 0) {
            int exponent = precision - 1 - scale;   // of the leading digit
            if (exponent >= MIN_PLAIN_EXPONENT && exponent <= MAX_PLAIN_EXPONENT) {
                // Not unscaledValue(): a BigInteger and its int[] per number; this is one small BigDecimal.
                appendPlain(out, n.movePointRight(scale).longValue(), scale);
                return;
            }
        }
        out.putLatin1(shortest(n.doubleValue()));
    }

    /**
     * {@code Double.toString(d)} as Java 19 and later spell it, on every Java: Jackson's port of
     * the Schubfach algorithm, the one Java 19 adopted (the same text as Java 21's and 25's for 3
     * million random doubles each; DoubleTextTest checks the shortest form on the JVM that runs it).
     */
    public static String shortest(double d) {
        return NumberOutput.toString(d, true);
    }

    /** {@code unscaled} * 10^-scale, scale at most 17, without trailing zeros (but "x.0"). */
    private static void appendPlain(JsonText out, long unscaled, int scale) {
        long digits = unscaled;
        if (digits < 0) {
            out.put('-');
            digits = -digits;
        }
        while (scale > 0 && digits % 10 == 0) {
            digits /= 10;
            scale--;
        }
        if (scale == 0) {
            out.putLong(digits);
            out.put('.');
            out.put('0');
            return;
        }
        long power = POWERS_OF_TEN[scale];
        long fraction = digits % power;
        out.putLong(digits / power);
        out.put('.');
        for (long p = power / 10; p > fraction; p /= 10) {
            out.put('0');
        }
        out.putLong(fraction);
    }
}
