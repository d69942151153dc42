package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The grammar of DynamoDB attribute values (see {@link ChangeDecoder} for the rules). An item is
 * either built (Keys, NewImage) or only checked (OldImage, which is dropped): a checked item builds
 * no values, and its strings are not even materialised unless a rule needs them.
 */
final class AttributeReader {

    /** What an item is read for. */
    private enum Use { KEYS, IMAGE, CHECK_ONLY }

    private AttributeReader() {
    }

    /** Keys: an item whose attributes are all of type S, N or B. */
    static Map<String, DynamoValue> keys(JsonParser p, JsonToken t, String section) throws IOException {
        return item(p, t, Use.KEYS, section);
    }

    /** An image that is kept (NewImage). */
    static Map<String, DynamoValue> image(JsonParser p, JsonToken t, String section) throws IOException {
        return item(p, t, Use.IMAGE, section);
    }

    /** An image that is checked and dropped (OldImage). */
    static void checkImage(JsonParser p, JsonToken t, String section) throws IOException {
        item(p, t, Use.CHECK_ONLY, section);
    }

    /** Failures carry the section name and the path; null when only checked. */
    private static Map<String, DynamoValue> item(JsonParser p, JsonToken t, Use use, String section) throws IOException {
        try {
            if (t != JsonToken.START_OBJECT) {
                throw DecodeFailure.of("must be an object of attributes");
            }
            Map<String, DynamoValue> attributes = attributes(p, 0, use != Use.CHECK_ONLY);
            if (use == Use.KEYS) {
                for (Map.Entry<String, DynamoValue> e : attributes.entrySet()) {
                    DynamoValue v = e.getValue();
                    if (!(v instanceof DynamoValue.Str || v instanceof DynamoValue.Num
                            || v instanceof DynamoValue.Bin)) {
                        throw DecodeFailure.of("key attribute must be of type S, N or B").atName(e.getKey());
                    }
                }
            }
            return attributes;
        } catch (IOException | RuntimeException e) {
            throw DecodeFailure.wrap(e).atName(section);
        }
    }

    /** The entries of an object of attributes; the parser is on its START_OBJECT. Null unless kept. */
    private static Map<String, DynamoValue> attributes(JsonParser p, int level, boolean keep) throws IOException {
        AttributeMap.Builder built = keep ? new AttributeMap.Builder() : null;
        NameSet names = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();   // a failure here is reported without the name
            if (name.isEmpty()) {
                throw DecodeFailure.of("empty attribute name");
            }
            try {
                if (!keep) {
                    names = NameSet.addTo(names, name);
                }
                DynamoValue v = value(p, t, level, keep);
                if (keep) {
                    built.add(name, v);   // a duplicate is found once its value was read
                }
            } catch (IOException | RuntimeException e) {
                throw DecodeFailure.wrap(e).atName(name);
            }
        }
        return keep ? built.build() : null;
    }

    /**
     * One attribute value object, e.g. {@code {"N":"1.5"}}; the parser is on its first token.
     * {@code level} is the number of M/L levels around it. Null unless kept.
     */
    private static DynamoValue value(JsonParser p, JsonToken t, int level, boolean keep) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("attribute value must be an object with one type key");
        }
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw DecodeFailure.of("attribute value has no type key");
        }
        String type = p.currentName();
        DynamoValue result = typed(p, type, p.nextToken(), level, keep);
        JsonToken end = p.nextToken();
        if (end != JsonToken.END_OBJECT) {
            throw DecodeFailure.of(end == JsonToken.FIELD_NAME
                    ? "attribute value has more than one type key"
                    : "attribute value is not closed");
        }
        return result;
    }

    /** The value after a type key; the parser is on the value's first token {@code v}. */
    private static DynamoValue typed(JsonParser p, String type, JsonToken v, int level, boolean keep)
            throws IOException {
        switch (type) {
            case "S" -> {
                requireString(v, type);
                return keep ? new DynamoValue.Str(p.getText()) : null;
            }
            case "N" -> {
                requireString(v, type);
                BigDecimal n = number(p, keep);
                return keep ? new DynamoValue.Num(n) : null;
            }
            case "B" -> {
                requireString(v, type);
                String text = base64(p);
                return keep ? new DynamoValue.Bin(text) : null;
            }
            case "BOOL" -> {
                if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                    return v == JsonToken.VALUE_TRUE ? DynamoValue.Bool.TRUE : DynamoValue.Bool.FALSE;
                }
                throw DecodeFailure.of("BOOL must be a JSON boolean");
            }
            case "NULL" -> {
                if (v != JsonToken.VALUE_TRUE) {
                    throw DecodeFailure.of("NULL must be true");
                }
                return DynamoValue.Null.INSTANCE;
            }
            case "M" -> {
                if (v != JsonToken.START_OBJECT) {
                    throw DecodeFailure.of("M must be a JSON object");
                }
                Map<String, DynamoValue> entries = attributes(p, deeper(level), keep);
                return keep ? new DynamoValue.MapValue(entries) : null;
            }
            case "L" -> {
                if (v != JsonToken.START_ARRAY) {
                    throw DecodeFailure.of("L must be a JSON array");
                }
                return list(p, deeper(level), keep);
            }
            case "SS", "NS", "BS" -> {
                return set(p, v, type, keep);
            }
            default -> throw DecodeFailure.of(
                    "unknown type descriptor (expected S, N, B, BOOL, NULL, M, L, SS, NS or BS)");
        }
    }

    private static void requireString(JsonToken v, String type) {
        if (v != JsonToken.VALUE_STRING) {
            throw DecodeFailure.of(type + " must be a JSON string");
        }
    }

    /** The elements of an L; the parser is on its START_ARRAY, {@code inner} is their level. */
    private static DynamoValue list(JsonParser p, int inner, boolean keep) throws IOException {
        List<DynamoValue> list = keep ? new ArrayList<>() : null;
        int index = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            try {
                DynamoValue element = value(p, e, inner, keep);
                if (keep) {
                    list.add(element);
                }
            } catch (IOException | RuntimeException ex) {
                throw DecodeFailure.wrap(ex).atIndex(index);
            }
            index++;
        }
        return keep ? new DynamoValue.ListValue(Collections.unmodifiableList(list)) : null;
    }

    /** The current string token as a DynamoDB number, read straight from the parser's buffer. */
    private static BigDecimal number(JsonParser p, boolean keep) throws IOException {
        return DynamoNumbers.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), keep);
    }

    /** The current string token, checked as base64 (always built: the check needs the text). */
    private static String base64(JsonParser p) throws IOException {
        String text = p.getText();
        String problem = Base64Text.problem(text);
        if (problem != null) {
            throw DecodeFailure.of(problem);
        }
        return text;
    }

    private static int deeper(int level) {
        if (level >= ChangeDecoder.MAX_DOCUMENT_LEVELS) {
            throw DecodeFailure.of("M/L nested deeper than " + ChangeDecoder.MAX_DOCUMENT_LEVELS + " levels");
        }
        return level + 1;
    }

    private static DynamoValue set(JsonParser p, JsonToken t, String type, boolean keep) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw DecodeFailure.of(type + " must be a JSON array");
        }
        List<Object> values = keep ? new ArrayList<>() : null;
        int index = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            try {
                if (e != JsonToken.VALUE_STRING) {
                    throw DecodeFailure.of(type + " elements must be JSON strings");
                }
                Object element = switch (type) {
                    case "NS" -> number(p, keep);
                    case "BS" -> base64(p);
                    default -> keep ? p.getText() : null;
                };
                if (keep) {
                    values.add(element);
                }
            } catch (IOException | RuntimeException ex) {
                throw DecodeFailure.wrap(ex).atIndex(index);
            }
            index++;
        }
        if (index == 0) {
            throw DecodeFailure.of("empty " + type + " (DynamoDB sets are never empty)");
        }
        if (!keep) {
            return null;
        }
        return switch (type) {
            case "SS" -> new DynamoValue.StrSet(Collections.unmodifiableList(cast(values)));
            case "NS" -> new DynamoValue.NumSet(Collections.unmodifiableList(cast(values)));
            default -> new DynamoValue.BinSet(Collections.unmodifiableList(cast(values)));
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<Object> list) {
        return (List<T>) (List<?>) list;
    }
}
