package dev.cdcrelay.decode;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * DynamoDB's number rules, checked on the text before any {@link BigDecimal} is built.
 *
 * <p>Accepted spelling: {@code [+-]digits[.digits][(e|E)[+-]digits]} with ASCII digits and at
 * least one mantissa digit ({@code 1.} and {@code .5} are accepted, as by {@link BigDecimal}).
 * Rules (DynamoDB developer guide, "Number"): at most 38 significant digits (leading and trailing
 * zeros do not count), and a magnitude of zero or between 1E-130 and
 * 9.9999999999999999999999999999999999999E+125.
 *
 * <p>The value is kept as {@code new BigDecimal(text)} would give it (same unscaled value and
 * scale), except for spellings padded with thousands of zeros: those are kept as their value with
 * trailing zeros stripped, because parsing them digit by digit would cost quadratic time.
 * DynamoDB itself sends numbers normalised, so that never happens with real records.
 */
final class DynamoNumbers {

    static final int MAX_SIGNIFICANT_DIGITS = 38;
    static final int MIN_EXPONENT = -130;
    static final int MAX_EXPONENT = 125;

    /** Texts up to this length are parsed by {@link BigDecimal} itself (cheap at this size). */
    private static final int MAX_PLAIN_PARSE_CHARS = 400;
    private static final long EXPONENT_CAP = 1_000_000_000_000L;

    static final String EMPTY = "number is empty";
    static final String NOT_A_NUMBER = "not a decimal number";
    static final String TOO_MANY_DIGITS = "number has more than 38 significant digits";
    static final String OUT_OF_RANGE = "number outside DynamoDB's range (1E-130 to 9.99..E+125)";

    private DynamoNumbers() {
    }

    /**
     * Checks {@code s} and returns its value, or only checks it when {@code build} is false (then
     * returns null).
     *
     * @throws DecodeFailure with one of the fixed reasons above
     */
    static BigDecimal parse(String s, boolean build) {
        return parse(s.toCharArray(), 0, s.length(), build);
    }

    /** As {@link #parse(String, boolean)}, on {@code len} chars of {@code buf} from {@code off}. */
    static BigDecimal parse(char[] buf, int off, int len, boolean build) {
        final int n = off + len;
        if (len == 0) {
            throw DecodeFailure.of(EMPTY);
        }
        int i = off;
        boolean negative = false;
        char c = buf[off];
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        int digits = 0;            // mantissa digits seen
        int intDigits = -1;        // digits before the point (-1: no point yet)
        int firstNonZero = -1;     // index among mantissa digits
        int lastNonZero = -1;
        long compact = 0;          // digits from the first non-zero one, while they fit
        for (; i < n; i++) {
            c = buf[i];
            if (c >= '0' && c <= '9') {
                if (c != '0') {
                    if (firstNonZero < 0) {
                        firstNonZero = digits;
                    }
                    lastNonZero = digits;
                }
                if (firstNonZero >= 0 && digits - firstNonZero < 18) {
                    compact = compact * 10 + (c - '0');
                }
                digits++;
            } else if (c == '.' && intDigits < 0) {
                intDigits = digits;
            } else {
                break;
            }
        }
        if (digits == 0) {
            throw DecodeFailure.of(NOT_A_NUMBER);
        }
        if (intDigits < 0) {
            intDigits = digits;
        }
        long exponent = 0;
        if (i < n) {
            c = buf[i];
            if (c != 'e' && c != 'E') {
                throw DecodeFailure.of(NOT_A_NUMBER);
            }
            i++;
            boolean negativeExponent = false;
            if (i < n && (buf[i] == '+' || buf[i] == '-')) {
                negativeExponent = buf[i] == '-';
                i++;
            }
            if (i == n) {
                throw DecodeFailure.of(NOT_A_NUMBER);
            }
            for (; i < n; i++) {
                c = buf[i];
                if (c < '0' || c > '9') {
                    throw DecodeFailure.of(NOT_A_NUMBER);
                }
                if (exponent < EXPONENT_CAP) {
                    exponent = exponent * 10 + (c - '0');
                }
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        int fractionDigits = digits - intDigits;
        if (firstNonZero < 0) {
            // Zero, in whatever spelling.
            if (!build) {
                return null;
            }
            long scale = fractionDigits - exponent;
            return scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE
                    ? BigDecimal.valueOf(0, (int) scale) : BigDecimal.ZERO;
        }
        int significant = lastNonZero - firstNonZero + 1;
        if (significant > MAX_SIGNIFICANT_DIGITS) {
            throw DecodeFailure.of(TOO_MANY_DIGITS);
        }
        // Power of ten of the leading significant digit.
        long adjusted = (long) intDigits - 1 - firstNonZero + exponent;
        if (adjusted < MIN_EXPONENT || adjusted > MAX_EXPONENT) {
            throw DecodeFailure.of(OUT_OF_RANGE);
        }
        if (!build) {
            return null;
        }
        int unscaledDigits = digits - firstNonZero;   // what new BigDecimal(s) would keep
        long scale = fractionDigits - exponent;       // bounded: adjusted is in range
        if (unscaledDigits <= 18 && scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE) {
            return BigDecimal.valueOf(negative ? -compact : compact, (int) scale);
        }
        if (len <= MAX_PLAIN_PARSE_CHARS) {
            return new BigDecimal(buf, off, len);
        }
        // Padded with many zeros: build from the significant digits only.
        StringBuilder sig = new StringBuilder(significant + 1);
        if (negative) {
            sig.append('-');
        }
        int seen = 0;
        for (int k = off; k < n && seen <= lastNonZero; k++) {
            char d = buf[k];
            if (d >= '0' && d <= '9') {
                if (seen >= firstNonZero) {
                    sig.append(d);
                }
                seen++;
            } else if (d != '.' && d != '+' && d != '-') {
                break;
            }
        }
        return new BigDecimal(new BigInteger(sig.toString()), (int) (significant - 1 - adjusted));
    }
}
