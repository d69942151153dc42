package dev.cdcrelay.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

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
            assertEquals(DoubleText.shortest(n.doubleValue()), asDouble(n), s);
        }
        assertEquals("2.0E23", asDouble(new BigDecimal("2E+23")));   // Java 17's Double.toString: 1.9999999999999998E23
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

    @Test
    void longsAreSpelledAsLongToStringSpellsThem() {
        List<Long> values = new ArrayList<>(List.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        long p = 1;
        for (int digits = 1; digits <= 19; digits++, p *= 10) {
            values.addAll(List.of(p - 1, p, p + 1, 1 - p, -p, -p - 1));
        }
        for (long v : values) {
            JsonText t = new JsonText(1);
            t.writeNumber(v);
            assertEquals(Long.toString(v), t.toString());
        }
    }

    @Test
    void aCharBeyondLatin1MidRowKeepsTheTextBeforeAndAfterIt() {
        JsonText t = new JsonText(4);
        t.writeStartObject();
        t.writeFieldName("caf\u00e9");
        t.writeString("\u00fc\u00ff \"q\"");
        t.writeFieldName("n");
        t.writeNumber(-42);
        t.writeFieldName("\u20ac");
        t.writeString("\u0000\ud83d\ude00");
        t.writeFieldName("d");
        t.writeDouble(new BigDecimal("2.50"));
        t.writeFieldName("b");
        t.writeBoolean(false);
        t.writeEndObject();
        assertEquals("{\"caf\u00e9\":\"\u00fc\u00ff \\\"q\\\"\",\"n\":-42,\"\u20ac\":\"\\u0000\ud83d\ude00\",\"d\":2.5,"
                + "\"b\":false}", t.toString());
    }

    @Test
    void undoAfterTheTextWidenedDropsWhatWasWrittenSince() {
        JsonText t = new JsonText(4);
        t.writeStartArray();
        t.writeString("a");
        JsonText.Position before = t.position();
        t.writeString("\u20ac");
        t.undoTo(before);
        t.writeNull();
        t.writeEndArray();
        assertEquals("[\"a\",null]", t.toString());
        assertEquals(10, t.length());
    }

    @Test
    void aClearedTextStartsEmptyAndLatin1AgainAfterItWidened() {
        JsonText t = new JsonText(4);
        t.writeStartArray();
        t.writeString("\u20ac");
        t.writeNumber(12345);
        t.writeEndArray();
        assertEquals("[\"\u20ac\",12345]", t.toString());
        t.clear(4, 16);
        t.writeStartObject();
        t.writeFieldName("a");
        t.writeString("\u00e9");
        t.writeEndObject();
        assertEquals("{\"a\":\"\u00e9\"}", t.toString());
        t.clear(4, 4);   // grown past the largest kept buffer: starts small again, the text is the same
        t.writeStartArray();
        t.writeNull();
        t.writeEndArray();
        assertEquals("[null]", t.toString());
    }

    @Test
    void stringsOfManyLengthsAreQuotedAsJacksonQuotesThem() throws Exception {
        // Short and long strings, in a buffer that starts small, with the one char that must leave
        // the Latin-1 path (an escape, a char beyond Latin-1) first, last, or nowhere.
        JsonText t = new JsonText(8);
        for (int length : new int[]{0, 1, 63, 64, 65, 300, 65_535, 65_536, 65_537, 70_000}) {
            for (String odd : new String[]{"", "\"", "\\", "\u0001", "\u00ff", "\u0100", "\ud83d\ude00"}) {
                String plain = "x".repeat(length);
                for (String s : new String[]{plain, odd + plain, plain + odd}) {
                    t.clear(8, 1 << 20);
                    t.writeStartArray();
                    t.writeString(s);
                    t.writeString("after");
                    t.writeEndArray();
                    StringWriter expected = new StringWriter();
                    try (JsonGenerator json = new JsonFactory().createGenerator(expected)) {
                        json.writeStartArray();
                        json.writeString(s);
                        json.writeString("after");
                        json.writeEndArray();
                    }
                    if (!expected.toString().equals(t.toString())) {
                        assertEquals(expected.toString(), t.toString(), "length " + length + ", odd char " + odd);
                    }
                }
            }
        }
    }
}
