package dev.cdcrelay.plan;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTextTest {

    private static String asDouble(BigDecimal n) {
        JsonText t = new JsonText(16);
        t.writeDouble(n);
        return t.toString();
    }

    @Test
    void everyWholeNumberOfUpToSevenDigitsIsSpelledAsDoubleToStringSpellsIt() {
        // Exhaustive, on the JVM that runs the tests: the short path must never differ.
        for (long v = -9_999_999; v <= 9_999_999; v++) {
            String expected = Double.toString((double) v);
            String actual = asDouble(BigDecimal.valueOf(v));
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, "whole number " + v);
            }
        }
    }

    @Test
    void otherNumbersGoThroughTheDouble() {
        for (String s : new String[]{"10000000", "-10000000", "1E+2", "1.0", "0.000", "-0", "0", "396.34", "1E-130",
            "12345678901234567890", "9.9999999999999999999999999999999999999E+125", "2E+23", "0.1", "7.00"}) {
            BigDecimal n = new BigDecimal(s);
            assertEquals(Double.toString(n.doubleValue()), asDouble(n), s);
        }
    }

    @Test
    void valuesAreSeparatedInsideAnArray() {
        JsonText t = new JsonText(16);
        t.writeStartArray();
        t.writeDouble(BigDecimal.ONE);
        t.writeDouble(new BigDecimal("2.5"));
        t.writeEndArray();
        assertEquals("[1.0,2.5]", t.toString());
    }
}
