package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields seen so far in one envelope object, for duplicate detection: known fields by a bit
 * each (1, 2, 4, ...), unknown ones by name. Unknown values are skipped with jackson's own
 * duplicate detection switched on for the skipped part.
 */
final class SeenFields {

    private int known;
    private NameSet unknown;

    /** Marks a known field as seen; a second time is a duplicate key. */
    void once(int bit) {
        if ((known & bit) != 0) {
            throw DecodeFailure.of(NameSet.DUPLICATE);
        }
        known |= bit;
    }

    /** As {@link #once(int)}, with the field's name in the failure's path. */
    void once(int bit, String name) {
        if ((known & bit) != 0) {
            throw DecodeFailure.of(NameSet.DUPLICATE).atName(name);
        }
        known |= bit;
    }

    /** Records an unknown field (a second one of that name is a duplicate) and skips its value. */
    void skipUnknown(JsonParser p, String name, JsonToken t) throws IOException {
        unknown = NameSet.addTo(unknown, name);
        skip(p, t);
    }

    /** Records an unknown field whose (scalar) value the caller skips itself. */
    void skipUnknownScalar(String name) {
        unknown = NameSet.addTo(unknown, name);
    }

    /** Skips a value, with jackson's duplicate detection on for the skipped part. */
    static void skip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            try {
                p.skipChildren();
            } finally {
                p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
        }
    }
}
