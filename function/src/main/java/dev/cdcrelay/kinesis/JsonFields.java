package dev.cdcrelay.kinesis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Field readers for the {@link SectionReader}s, and the wording of their failures, so every
 * message names the place the same way ({@code deadLetter.reason is not a string}). The event
 * reader, which spells a record's place only when it fails, uses the wording alone.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** Fails unless the parser stands on the start of an object. */
    public static void requireObject(JsonParser parser, String path) throws MalformedEventException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw notAnObject(path);
        }
    }

    /** The string the parser stands on, or null for JSON null (the caller decides whether it may be absent). */
    public static String stringOrNull(JsonParser parser, String path) throws IOException, MalformedEventException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw notAString(path);
        }
        return parser.getText();
    }

    /** The failure of a value at {@code path} that must be an object. */
    public static MalformedEventException notAnObject(String path) {
        return new MalformedEventException(path + " is not an object");
    }

    /** The failure of a value at {@code path} that must be a string (or null). */
    public static MalformedEventException notAString(String path) {
        return new MalformedEventException(path + " is not a string");
    }
}
