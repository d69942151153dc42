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
        if (len == 0) {
            throw DecodeFailure.of(EMPTY);
        }
        Spelling number = new Spelling();
        int end = off + len;
        int exponentStart = number.readMantissa(buf, off, end);
        number.readExponent(buf, exponentStart, end);
        if (number.firstNonZero < 0) {
            return build ? number.zero() : null;   // zero, in whatever spelling
        }
        number.checkRules();
        return build ? number.value(buf, off, len) : null;
    }

    /**
     * The number spelled by the ASCII bytes {@code text[start, end)}: {@link #parsePlain}'s value,
     * else {@link #parse}'s (which checks it), its chars copied into {@code scratch} when it is
     * long enough (a buffer the caller keeps, so that no array is made per number), else a new one.
     */
    static BigDecimal parseAscii(byte[] text, int start, int end, char[] scratch) {
        BigDecimal plain = parsePlain(text, start, end);
        if (plain != null) {
            return plain;
        }
        int length = end - start;
        char[] chars = scratch.length >= length ? scratch : new char[length];
        for (int k = 0; k < length; k++) {
            chars[k] = (char) (text[start + k] & 0xff);
        }
        return parse(chars, 0, length, true);
    }

    /** Longest text {@link #parsePlain} reads: its magnitude then lies far inside DynamoDB's range. */
    static final int MAX_PLAIN_CHARS = 40;

    /**
     * The value of a plain decimal, {@code -?digits[.digits]} in ASCII bytes from {@code start} to
     * {@code end}, not zero, with at most 18 digits from its first non-zero one and at most
     * {@value #MAX_PLAIN_CHARS} chars; null for any other text, which {@link #parse} then reads.
     * What DynamoDB sends is mostly this shape. No rule can refuse such a number (at most 18
     * significant digits, magnitude from 1E-40 to below 1E40), and its value is the one
     * {@link #parse} builds: the digits from the first non-zero one, scaled by the fraction's
     * length. Reads the bytes directly, without a char copy or a {@code Spelling}.
     */
    static BigDecimal parsePlain(byte[] text, int start, int end) {
        if (end - start > MAX_PLAIN_CHARS || start >= end) {
            return null;
        }
        int k = start;
        boolean negative = text[k] == '-';
        if (negative) {
            k++;
        }
        long unscaled = 0;
        int kept = 0;      // digits from the first non-zero one
        int digits = 0;
        int point = -1;    // digits before the point
        for (; k < end; k++) {
            byte c = text[k];
            if (c >= '0' && c <= '9') {
                if (kept > 0 || c != '0') {
                    if (++kept > 18) {
                        return null;
                    }
                    unscaled = unscaled * 10 + (c - '0');
                }
                digits++;
            } else if (c == '.' && point < 0) {
                point = digits;
            } else {
                return null;
            }
        }
        if (unscaled == 0) {
            return null;   // zero, or no digit at all
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, point < 0 ? 0 : digits - point);
    }

    /** What one number's text says, read in one pass. */
    private static final class Spelling {
        boolean negative;
        int digits;              // mantissa digits seen
        int intDigits = -1;      // digits before the point (-1: no point yet)
        int firstNonZero = -1;   // index among mantissa digits
        int lastNonZero = -1;
        long compact;            // digits from the first non-zero one, while they fit
        long exponent;

        /** Reads sign, digits and point; returns where the exponent part (if any) starts. */
        int readMantissa(char[] buf, int off, int end) {
            int i = off;
            char c = buf[off];
            if (c == '+' || c == '-') {
                negative = c == '-';
                i++;
            }
            for (; i < end; i++) {
                c = buf[i];
                if (c >= '0' && c <= '9') {
                    digit(c);
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
            return i;
        }

        private void digit(char c) {
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
        }

        /** Reads {@code (e|E)[+-]digits} from {@code i} to the end, if there is anything left. */
        void readExponent(char[] buf, int start, int end) {
            if (start == end) {
                return;
            }
            int i = start;
            if (buf[i] != 'e' && buf[i] != 'E') {
                throw DecodeFailure.of(NOT_A_NUMBER);
            }
            i++;
            boolean negativeExponent = false;
            if (i < end && (buf[i] == '+' || buf[i] == '-')) {
                negativeExponent = buf[i] == '-';
                i++;
            }
            if (i == end) {
                throw DecodeFailure.of(NOT_A_NUMBER);
            }
            for (; i < end; i++) {
                char c = buf[i];
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

        int significant() {
            return lastNonZero - firstNonZero + 1;
        }

        /** Power of ten of the leading significant digit. */
        long adjusted() {
            return (long) intDigits - 1 - firstNonZero + exponent;
        }

        /** DynamoDB's limits on a non-zero number. */
        void checkRules() {
            if (significant() > MAX_SIGNIFICANT_DIGITS) {
                throw DecodeFailure.of(TOO_MANY_DIGITS);
            }
            long adjusted = adjusted();
            if (adjusted < MIN_EXPONENT || adjusted > MAX_EXPONENT) {
                throw DecodeFailure.of(OUT_OF_RANGE);
            }
        }

        BigDecimal zero() {
            long scale = (digits - intDigits) - exponent;
            return scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE
                    ? BigDecimal.valueOf(0, (int) scale) : BigDecimal.ZERO;
        }

        /** The value of a checked non-zero number whose text is {@code len} chars from {@code off}. */
        BigDecimal value(char[] buf, int off, int len) {
            int unscaledDigits = digits - firstNonZero;        // what new BigDecimal(s) would keep
            long scale = (digits - intDigits) - exponent;      // bounded: adjusted is in range
            if (unscaledDigits <= 18 && scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE) {
                return BigDecimal.valueOf(negative ? -compact : compact, (int) scale);
            }
            if (len <= MAX_PLAIN_PARSE_CHARS) {
                return new BigDecimal(buf, off, len);
            }
            return fromSignificantDigits(buf, off, off + len);
        }

        /** Padded with many zeros: built from the significant digits only. */
        private BigDecimal fromSignificantDigits(char[] buf, int off, int end) {
            int significant = significant();
            StringBuilder sig = new StringBuilder(significant + 1);
            if (negative) {
                sig.append('-');
            }
            int seen = 0;
            for (int k = off; k < end && seen <= lastNonZero; k++) {
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
            return new BigDecimal(new BigInteger(sig.toString()), (int) (significant - 1 - adjusted()));
        }
    }
}
