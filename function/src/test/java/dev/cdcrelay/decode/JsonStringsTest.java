package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonStringsTest {

    private static String jackson(String s) {
        StringBuilder sb = new StringBuilder();
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.toString();
    }

    private static String ours(String s) {
        StringBuilder sb = new StringBuilder();
        JsonStrings.appendEscaped(sb, s);
        return sb.toString();
    }

    @Test
    void everyCharIsSpelledAsJacksonSpellsIt() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String alone = String.valueOf((char) c);
            assertEquals(jackson(alone), ours(alone), "char U+" + Integer.toHexString(c));
            String inText = "ab" + (char) c + "cd\u00e9";
            assertEquals(jackson(inText), ours(inText), "char U+" + Integer.toHexString(c) + " in a text");
        }
    }

    @Test
    void textsWithAndWithoutEscapesAreSpelledAsJacksonSpellsThem() {
        for (String s : new String[]{"", "plain", "quote\"", "back\\slash", "tab\tnl\n", "\u0000", "\u001f\u0020",
            "\u007f\u0080\u2028\u2029", "\uD83D\uDE00", "\uD800 lone", "x".repeat(5000) + "\""}) {
            assertEquals(jackson(s), ours(s), s);
        }
    }

    @Test
    void quotedAddsTheQuotes() {
        StringBuilder sb = new StringBuilder();
        JsonStrings.appendQuoted(sb, "a\"b");
        assertEquals("\"a\\\"b\"", sb.toString());
    }
}
