package dev.cdcrelay.kinesis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Field readers for the {@link SectionReader}s, so every message names
 * the place the same way ({@code deadLetter.reason is not a string}).
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** Fails unless the parser stands on the start of an object. */
    public static void requireObject(JsonParser parser, String path) throws MalformedEventException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedEventException(path + " is not an object");
        }
    }

    /** The string the parser stands on, or null for JSON null (the caller decides whether it may be absent). */
    public static String stringOrNull(JsonParser parser, String path) throws IOException, MalformedEventException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new MalformedEventException(path + " is not a string");
        }
        return parser.getText();
    }
}
