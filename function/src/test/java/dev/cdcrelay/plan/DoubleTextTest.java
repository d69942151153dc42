package dev.cdcrelay.plan;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DoubleTextTest {

    private static String spelled(BigDecimal n) {
        JsonText text = new JsonText(16);
        DoubleText.append(text, n);
        return text.toString();
    }

    private static void assertSpelledAsDoubleToString(BigDecimal n) {
        String expected = Double.toString(n.doubleValue());
        String actual = spelled(n);
        if (!expected.equals(actual)) {
            assertEquals(expected, actual, n.toString());   // only built when it fails: the loops are long
        }
    }

    @Test
    void everyNumberOfUpToSixDigitsWithAFractionIsSpelledAsDoubleToStringSpellsIt() {
        // Exhaustive, on the JVM that runs the tests, for every scale the short path can meet at
        // this size: the short path must never differ (plain notation ends below 10^-3).
        for (int scale = 1; scale <= 9; scale++) {
            for (long unscaled = 1; unscaled < 1_000_000; unscaled++) {
                assertSpelledAsDoubleToString(BigDecimal.valueOf(unscaled, scale));
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
            assertSpelledAsDoubleToString(BigDecimal.valueOf(random.nextBoolean() ? unscaled : -unscaled, scale));
        }
    }

    @Test
    void edgesOfThePlainRangeAndZerosAreSpelledAsDoubleToStringSpellsThem() {
        for (String s : new String[]{"0.001", "-0.001", "0.0009999", "0.00100", "9999999.9", "9999999.99999999",
            "1000000.5", "10000000.5", "0.0", "-0.00", "0E-5", "5.00", "-7.000000", "123456789012345.1",
            "12345678901234.5", "1.23456789012345", "1.234567890123456", "0.000123456789012345",
            "0.00123456789012345", "2E+23", "1E-130", "9.9999999999999999999999999999999999999E+125"}) {
            assertSpelledAsDoubleToString(new BigDecimal(s));
        }
    }
}
