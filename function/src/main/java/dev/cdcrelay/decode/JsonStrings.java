package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * JSON string quoting, spelled exactly as jackson's {@link JsonStringEncoder#quoteAsString}
 * spells it (what every JSON text of the relay used so far): only control characters, {@code "}
 * and {@code \} are escaped. Most names and values need no escape at all; they are appended
 * whole after one scan instead of char by char through the encoder.
 */
public final class JsonStrings {

    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

    private JsonStrings() {
    }

    /** Appends {@code s} as the inside of a JSON string (without the quotes). */
    public static void appendEscaped(StringBuilder sb, String s) {
        if (needsEscape(s)) {
            QUOTER.quoteAsString(s, sb);
        } else {
            sb.append(s);
        }
    }

    /** Appends {@code s} as a JSON string, quotes included. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        appendEscaped(sb, s);
        sb.append('"');
    }

    /** Whether jackson's encoder would change any char of {@code s}. */
    static boolean needsEscape(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
