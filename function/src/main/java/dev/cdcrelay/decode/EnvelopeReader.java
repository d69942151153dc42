package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Set;

/**
 * The grammar of the change record around the attribute values: the top-level fields, the
 * {@code dynamodb} object and {@code userIdentity}. Unknown fields are skipped (forward
 * compatibility); a field given twice, known or not, is a duplicate key. Attribute values are
 * read by {@link AttributeReader}.
 */
final class EnvelopeReader {

    private static final String TTL_IDENTITY_TYPE = "Service";
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";
    private static final String EVENT_SOURCE = "aws:dynamodb";
    private static final String DYNAMODB = "dynamodb";
    private static final String PRECISION_VALUES = "must be MILLISECOND or MICROSECOND";

    /** Field names that may be shown in messages; other skipped names could be payload. */
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "eventName", "eventID", "eventSource", "tableName", "awsRegion", "recordFormat",
            "userIdentity", DYNAMODB, "eventVersion", "SizeBytes", "StreamViewType", "SequenceNumber");

    private EnvelopeReader() {
    }

    /** Reads one whole record; the parser is before its first token. */
    static ChangeRecord read(JsonParser p, String seq) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("the payload is not a JSON object");
        }
        Envelope envelope = new Envelope();
        SeenFields seen = new SeenFields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            try {
                topField(p, name, t, envelope, seen);
            } catch (IOException | RuntimeException e) {
                DecodeFailure f = DecodeFailure.wrap(e);
                // Keys, NewImage, OldImage and the time fields name themselves.
                throw name.equals(DYNAMODB) && f.hasPath() ? f : f.atName(knownOrHidden(name));
            }
        }
        expectEnd(p);
        return envelope.toChangeRecord(seq);
    }

    private static void topField(JsonParser p, String name, JsonToken t, Envelope envelope, SeenFields seen)
            throws IOException {
        switch (name) {
            case "eventName" -> {
                seen.once(1);
                envelope.eventName = eventName(p, t);
            }
            case "eventID" -> {
                seen.once(2);
                envelope.eventId = optionalString(p, t);
            }
            case "tableName" -> {
                seen.once(4);
                envelope.tableName = optionalString(p, t);
            }
            case "awsRegion" -> {
                seen.once(8);
                checkOptionalString(t);
            }
            case "recordFormat" -> {
                seen.once(16);
                checkOptionalString(t);
            }
            case "eventSource" -> {
                seen.once(32);
                String source = optionalString(p, t);
                if (source != null && !source.equals(EVENT_SOURCE)) {
                    throw DecodeFailure.of("must be " + EVENT_SOURCE);
                }
            }
            case "userIdentity" -> {
                seen.once(64);
                envelope.ttlIdentity = isTtlIdentity(p, t);
            }
            case DYNAMODB -> {
                seen.once(128);
                dynamodb(p, t, envelope);
            }
            default -> seen.skipUnknown(p, name, t);
        }
    }

    /** Nothing may follow the root object; a parser failure there counts as content too. */
    private static void expectEnd(JsonParser p) {
        JsonToken after;
        try {
            after = p.nextToken();
        } catch (IOException | RuntimeException e) {
            after = JsonToken.NOT_AVAILABLE;
        }
        if (after != null) {
            throw DecodeFailure.of("unexpected content after the JSON object");
        }
    }

    /** The {@code dynamodb} object; its fields name themselves in failures. */
    private static void dynamodb(JsonParser p, JsonToken t, Envelope envelope) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("must be an object");
        }
        envelope.hasDynamodb = true;
        SeenFields seen = new SeenFields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "Keys" -> {
                    seen.once(1, name);
                    envelope.keys = AttributeReader.keys(p, v, name);
                }
                case "NewImage" -> {
                    seen.once(2, name);
                    envelope.newImage = AttributeReader.image(p, v, name);
                }
                case "OldImage" -> {
                    seen.once(4, name);
                    AttributeReader.checkImage(p, v, name);
                }
                case "ApproximateCreationDateTime" -> {
                    seen.once(8, name);
                    envelope.time = creationTime(p, v, name);
                    envelope.hasTime = true;
                }
                case "ApproximateCreationDateTimePrecision" -> {
                    seen.once(16, name);
                    envelope.inMicros = isMicros(p, v, name);
                }
                default -> {
                    try {
                        seen.skipUnknown(p, name, v);
                    } catch (IOException | RuntimeException e) {
                        throw DecodeFailure.wrap(e).atName(knownOrHidden(name));
                    }
                }
            }
        }
    }

    private static long creationTime(JsonParser p, JsonToken v, String name) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw DecodeFailure.of("must be an integer").atName(name);
        }
        JsonParser.NumberType type = p.getNumberType();
        long time = type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? p.getLongValue() : -1;
        if (time < 0) {
            throw DecodeFailure.of("must be a non-negative 64-bit integer").atName(name);
        }
        return time;
    }

    /** ApproximateCreationDateTimePrecision: MICROSECOND, or MILLISECOND (also when null). */
    private static boolean isMicros(JsonParser p, JsonToken v, String name) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return false;
        }
        if (v == JsonToken.VALUE_STRING) {
            String unit = p.getText();
            if (unit.equals("MICROSECOND")) {
                return true;
            }
            if (unit.equals("MILLISECOND")) {
                return false;
            }
        }
        throw DecodeFailure.of(PRECISION_VALUES).atName(name);
    }

    /** Reads userIdentity (null or an object): is it DynamoDB's own TTL service identity? */
    private static boolean isTtlIdentity(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("must be an object or null");
        }
        String type = null;
        String principal = null;
        SeenFields seen = new SeenFields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            try {
                switch (field) {
                    case "type" -> {
                        seen.once(1);
                        type = optionalString(p, value);
                    }
                    case "principalId" -> {
                        seen.once(2);
                        principal = optionalString(p, value);
                    }
                    default -> seen.skipUnknown(p, field, value);
                }
            } catch (IOException | RuntimeException e) {
                throw DecodeFailure.wrap(e).atName(field.equals("type") || field.equals("principalId")
                        ? field : DecodeFailure.UNKNOWN_FIELD);
            }
        }
        return TTL_IDENTITY_TYPE.equals(type) && TTL_PRINCIPAL.equals(principal);
    }

    private static EventName eventName(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "INSERT":
                    return EventName.INSERT;
                case "MODIFY":
                    return EventName.MODIFY;
                case "REMOVE":
                    return EventName.REMOVE;
                default:
                    break;
            }
        }
        throw DecodeFailure.of("must be INSERT, MODIFY or REMOVE");
    }

    private static String optionalString(JsonParser p, JsonToken t) throws IOException {
        checkOptionalString(t);
        return t == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** Type check only: the string itself is skipped without being built. */
    private static void checkOptionalString(JsonToken t) {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
            throw DecodeFailure.of("must be a string or null");
        }
    }

    /**
     * Names of skipped (unknown) fields may be anything, even a value shifted into a name by a
     * corrupted record: only well-known names are shown.
     */
    private static String knownOrHidden(String name) {
        return KNOWN_FIELDS.contains(name) ? name : DecodeFailure.UNKNOWN_FIELD;
    }
}
