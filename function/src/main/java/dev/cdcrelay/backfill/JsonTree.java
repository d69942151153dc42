package dev.cdcrelay.backfill;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cdcrelay.decode.JsonFailures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small JSON documents (a Step Functions task's input and output, a map run's result files) as
 * plain Java values, on jackson-core's streaming API only (the function's image carries no
 * databind): objects are {@code Map<String, Object>} in document order, arrays {@code List<Object>},
 * whole numbers {@code Long}, other numbers {@code BigDecimal}, then {@code String} and
 * {@code Boolean}. A JSON {@code null} is left out (an absent member reads the same as a null one).
 */
public final class JsonTree {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonTree() {
    }

    /**
     * @throws IllegalArgumentException naming {@code where} and what is wrong (never quoting the input)
     */
    public static Object parse(byte[] json, String where) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException(where + ": empty, expected JSON");
            }
            Object value = value(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(where + ": unexpected content after the JSON value");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + JsonFailures.reason(e));
        }
    }

    public static Object parse(String json, String where) {
        return parse(json.getBytes(StandardCharsets.UTF_8), where);
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    Object member = value(p);
                    if (member != Null.NULL) {
                        object.put(name, member);
                    }
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    Object element = value(p);
                    if (element != Null.NULL) {
                        array.add(element);
                    }
                }
                yield array;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? new BigDecimal(p.getBigIntegerValue()) : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> Null.NULL;
            default -> throw new IOException("unexpected " + p.currentToken());
        };
    }

    /** Marks a JSON null while parsing; never returned. */
    private enum Null { NULL }

    /** Writes a value built of maps, lists, strings, numbers and booleans. */
    public static void write(Object value, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON failed", e);
        }
    }

    public static String toJson(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal n) {
            g.writeNumber(n);
        } else if (value instanceof Double n) {
            g.writeNumber(n);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
