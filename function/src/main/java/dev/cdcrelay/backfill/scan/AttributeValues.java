package dev.cdcrelay.backfill.scan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DynamoDB's SDK values as DynamoDB JSON ({@code {"N":"42.42"}}), the format of exports and of the stream. */
public final class AttributeValues {

    private AttributeValues() {
    }

    /** An item or a key: {@code {"name": {"S": "..."}, ...}}. */
    public static void writeMap(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** One typed value, e.g. {@code {"N":"42.42"}}; numbers stay the exact text DynamoDB gave. */
    public static void writeValue(JsonGenerator g, AttributeValue v) throws IOException {
        g.writeStartObject();
        switch (v.type()) {
            case S -> g.writeStringField("S", v.s());
            case N -> g.writeStringField("N", v.n());
            case B -> g.writeStringField("B", base64(v.b()));
            case BOOL -> g.writeBooleanField("BOOL", v.bool());
            case NUL -> g.writeBooleanField("NULL", true);
            case M -> {
                g.writeFieldName("M");
                writeMap(g, v.m());
            }
            case L -> {
                g.writeArrayFieldStart("L");
                for (AttributeValue e : v.l()) {
                    writeValue(g, e);
                }
                g.writeEndArray();
            }
            case SS -> writeStrings(g, "SS", v.ss());
            case NS -> writeStrings(g, "NS", v.ns());
            case BS -> {
                g.writeArrayFieldStart("BS");
                for (SdkBytes b : v.bs()) {
                    g.writeString(base64(b));
                }
                g.writeEndArray();
            }
            default -> {
                if (!v.equals(AttributeValue.builder().build())) {
                    throw new IllegalArgumentException("unknown DynamoDB attribute type: " + v.type());
                }
                // DynamoDB Local's stream loses an empty map: {"M":{}} arrives as a value with no type
                // at all (GetItem returns it correctly). An empty map is the only value that can.
                g.writeFieldName("M");
                g.writeStartObject();
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    /**
     * Reads a key written by {@link #writeMap} (the parser on its START_OBJECT): key attributes are
     * S, N or B only.
     */
    public static Map<String, AttributeValue> readKey(JsonParser p) throws IOException {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String attribute = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
                throw new IOException("key attribute " + attribute + " is not {\"<type>\": \"<value>\"}");
            }
            String type = p.currentName();
            p.nextToken();
            String value = p.getText();
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw new IOException("key attribute " + attribute + " has more than one type");
            }
            key.put(attribute, switch (type) {
                case "S" -> AttributeValue.fromS(value);
                case "N" -> AttributeValue.fromN(value);
                case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(value)));
                default -> throw new IOException("key attribute " + attribute + " has type " + type + "; keys are S, N or B");
            });
        }
        return key;
    }

    private static void writeStrings(JsonGenerator g, String type, List<String> values) throws IOException {
        g.writeArrayFieldStart(type);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static String base64(SdkBytes b) {
        return Base64.getEncoder().encodeToString(b.asByteArrayUnsafe());
    }
}
