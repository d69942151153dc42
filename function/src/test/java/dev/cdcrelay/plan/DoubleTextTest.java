package dev.cdcrelay.plan;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The texts must be those of {@code Double.toString} as Java 19 and later specify it (the
 * shortest decimal that names the double), on whichever Java runs the tests: on 19 and later that
 * method itself is the oracle; before (Java 17, which is not always the shortest) an oracle built
 * here from BigDecimal: the value of the shortest decimal, and the spelling rules.
 */
class DoubleTextTest {

    private static final boolean JDK_SPELLS_SHORTEST = Runtime.version().feature() >= 19;

    private static String spelled(BigDecimal n) {
        JsonText text = new JsonText(16);
        DoubleText.append(text, n);
        return text.toString();
    }

    /**
     * The short path of {@link DoubleText#append} against the general one: {@code Double.toString}
     * where it is the shortest, else {@link DoubleText#shortest}, which
     * {@link #theShortestTextOfAnyDoubleIsJava19s} checks against the oracle (too slow for the
     * millions of numbers here).
     */
    private static void assertSpelledShortest(BigDecimal n) {
        double d = n.doubleValue();
        String expected = JDK_SPELLS_SHORTEST ? Double.toString(d) : DoubleText.shortest(d);
        String actual = spelled(n);
        if (!expected.equals(actual)) {
            assertEquals(expected, actual, n.toString());   // only built when it fails: the loops are long
        }
    }

    /** {@code actual} is the text Java 19's {@code Double.toString(d)} gives; {@code what} names the input. */
    private static void assertShortest(double d, String actual, String what) {
        if (JDK_SPELLS_SHORTEST) {
            String expected = Double.toString(d);
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, what);   // only built when it fails: the loops are long
            }
            return;
        }
        String problem = notShortest(d, actual);
        if (problem != null) {
            fail(what + " spelled " + actual + ": " + problem);
        }
    }

    /**
     * Why {@code text} is not Java 19's spelling of {@code d}, or null: its value must be the
     * decimal of the fewest digits that still names {@code d} (of two digits where one is enough,
     * as the specification says), the nearest to d of that length; plain notation from 10^-3 to
     * below 10^7, else one digit before the point and an exponent; no trailing zero but in "x.0".
     */
    private static String notShortest(double d, String text) {
        if (d == 0) {
            return text.equals(1 / d > 0 ? "0.0" : "-0.0") ? null : "zero";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal expected = null;
        for (int digits = 1; digits <= 17 && expected == null; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                expected = digits == 1 ? exact.round(new MathContext(2, RoundingMode.HALF_EVEN)) : candidate;
            }
        }
        if (expected == null || new BigDecimal(text).compareTo(expected) != 0) {
            return "not the value " + expected;
        }
        double magnitude = Math.abs(d);
        boolean plain = magnitude >= 1e-3 && magnitude < 1e7;
        if (!text.matches(plain ? "-?[0-9]+\\.[0-9]+" : "-?[1-9]\\.[0-9]+E-?[1-9][0-9]*")) {
            return plain ? "not in plain notation" : "not in computerized notation";
        }
        String digits = plain ? text : text.substring(0, text.indexOf('E'));
        if (digits.endsWith("0") && !digits.endsWith(".0")) {
            return "a trailing zero";
        }
        return null;
    }

    @Test
    void theShortestTextOfAnyDoubleIsJava19s() {
        // Every kind of double: random bits (subnormals, both notations, every exponent), whole
        // numbers near 2^53 to 10^17 (where Java 17 adds a digit), and the classic 2E23.
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            double d = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> (double) random.nextLong(-100_000_000_000_000_000L, 100_000_000_000_000_000L);
                default -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            };
            if (Double.isFinite(d)) {
                assertShortest(d, DoubleText.shortest(d), Double.toString(d));
            }
        }
        for (double d : new double[]{2e23, 1e23, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
            1e-3, 9.999999999999999e6, 1e7, 0.1, 1.0 / 3}) {
            assertShortest(d, DoubleText.shortest(d), Double.toString(d));
        }
        assertEquals("2.0E23", DoubleText.shortest(2e23));
    }

    @Test
    void everyNumberOfUpToSixDigitsWithAFractionIsSpelledAsDoubleToStringSpellsIt() {
        // Exhaustive, on the JVM that runs the tests, for every scale the short path can meet at
        // this size: the short path must never differ (plain notation ends below 10^-3).
        for (int scale = 1; scale <= 9; scale++) {
            for (long unscaled = 1; unscaled < 1_000_000; unscaled++) {
                assertSpelledShortest(BigDecimal.valueOf(unscaled, scale));
            }
        }
    }

    @Test
    void randomNumbersOfUpToSeventeenDigitsAreSpelledAsDoubleToStringSpellsThem() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 2_000_000; i++) {
            int digits = 1 + random.nextInt(17);
            long unscaled = random.nextLong(1, (long) Math.pow(10, digits));
            int scale = random.nextInt(-3, 20);
            assertSpelledShortest(BigDecimal.valueOf(random.nextBoolean() ? unscaled : -unscaled, scale));
        }
    }

    @Test
    void edgesOfThePlainRangeAndZerosAreSpelledAsDoubleToStringSpellsThem() {
        for (String s : new String[]{"0.001", "-0.001", "0.0009999", "0.00100", "9999999.9", "9999999.99999999",
            "1000000.5", "10000000.5", "0.0", "-0.00", "0E-5", "5.00", "-7.000000", "123456789012345.1",
            "12345678901234.5", "1.23456789012345", "1.234567890123456", "0.000123456789012345",
            "0.00123456789012345", "2E+23", "1E-130", "9.9999999999999999999999999999999999999E+125"}) {
            assertSpelledShortest(new BigDecimal(s));
        }
    }
}
