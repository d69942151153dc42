package dev.cdcrelay.testing;

import dev.cdcrelay.decode.DynamoValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DynamoDB-typed JSON ("attribute value" JSON, e.g. {@code {"N":"42.42"}}) from plain Java values,
 * and the {@link DynamoValue} the decoder should produce for them.
 *
 * <p>Java value to DynamoDB type:
 * <table>
 *   <caption>mapping</caption>
 *   <tr><td>{@code String}</td><td>S</td></tr>
 *   <tr><td>{@code Number} (Integer, Long, BigDecimal, Double, ...)</td><td>N, written the way
 *       DynamoDB normalises numbers: plain notation, no trailing zeros ({@code 1.50} becomes
 *       {@code "1.5"}); use {@link #n(String)} for an exact spelling</td></tr>
 *   <tr><td>{@code Boolean}</td><td>BOOL</td></tr>
 *   <tr><td>{@code null}</td><td>NULL</td></tr>
 *   <tr><td>{@code byte[]}</td><td>B (base64)</td></tr>
 *   <tr><td>{@code Map<String, ?>}</td><td>M (iteration order kept)</td></tr>
 *   <tr><td>{@code List<?>}</td><td>L</td></tr>
 *   <tr><td>{@code Set<String>}, {@code Set<Number>}, {@code Set<byte[]>}</td><td>SS, NS, BS
 *       (iteration order kept; or use {@link #stringSet}, {@link #numberSet}, {@link #binarySet})</td></tr>
 *   <tr><td>{@link #typed(String)}</td><td>the given typed JSON fragment, as is (for invalid or
 *       unusual values: {@code typed("{\"N\":\"1e400\"}")})</td></tr>
 *   <tr><td>a {@link DynamoValue}</td><td>its own type</td></tr>
 * </table>
 */
public final class DynamoJson {

    private DynamoJson() {
    }

    /** A typed JSON fragment, written as is. */
    public record Typed(String json) {
        public Typed {
            Objects.requireNonNull(json, "json");
        }
    }

    /** Explicitly typed set (needed for empty sets or when element types are ambiguous). */
    public record TypedSet(String type, List<?> elements) {
    }

    /** The fragment, e.g. {@code typed("{\"N\":\"1e400\"}")}, written as is. */
    public static Typed typed(String fragment) {
        return new Typed(fragment);
    }

    /** An N with exactly this spelling (no normalisation, no checks). */
    public static Typed n(String spelling) {
        return new Typed("{\"N\":" + quote(spelling) + "}");
    }

    /** A B from base64 text given as is (no checks). */
    public static Typed b64(String base64) {
        return new Typed("{\"B\":" + quote(base64) + "}");
    }

    public static TypedSet stringSet(String... values) {
        return new TypedSet("SS", List.of(values));
    }

    public static TypedSet numberSet(Object... values) {
        return new TypedSet("NS", List.of(values));
    }

    public static TypedSet binarySet(byte[]... values) {
        return new TypedSet("BS", List.of((Object[]) values));
    }

    /** Convenience: an ordered map for M values, {@code map("a", 1, "b", "x")}. */
    public static Map<String, Object> map(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /** Convenience: a list for L values that may contain nulls. */
    public static List<Object> list(Object... values) {
        List<Object> l = new ArrayList<>(values.length);
        Collections.addAll(l, values);
        return l;
    }

    // ------------------------------------------------------------------ rendering

    /** The DynamoDB-typed JSON of one value, e.g. {@code {"S":"foo"}}. */
    public static String value(Object v) {
        StringBuilder sb = new StringBuilder();
        appendValue(sb, v);
        return sb.toString();
    }

    /** An object of attributes, e.g. {@code {"device":{"S":"foo"}}}. */
    public static String item(Map<String, ?> attributes) {
        StringBuilder sb = new StringBuilder();
        appendItem(sb, attributes);
        return sb.toString();
    }

    static void appendItem(StringBuilder sb, Map<String, ?> attributes) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendQuoted(sb, e.getKey());
            sb.append(':');
            appendValue(sb, e.getValue());
        }
        sb.append('}');
    }

    static void appendValue(StringBuilder sb, Object v) {
        if (v instanceof Typed t) {
            sb.append(t.json());
        } else if (v instanceof DynamoValue dv) {
            appendDynamoValue(sb, dv);
        } else if (v == null) {
            sb.append("{\"NULL\":true}");
        } else if (v instanceof String s) {
            sb.append("{\"S\":");
            appendQuoted(sb, s);
            sb.append('}');
        } else if (v instanceof Number num) {
            sb.append("{\"N\":\"").append(numberText(num)).append("\"}");
        } else if (v instanceof Boolean b) {
            sb.append("{\"BOOL\":").append(b.booleanValue()).append('}');
        } else if (v instanceof byte[] bytes) {
            sb.append("{\"B\":\"").append(Base64.getEncoder().encodeToString(bytes)).append("\"}");
        } else if (v instanceof Map<?, ?> m) {
            sb.append("{\"M\":");
            appendItem(sb, stringKeys(m));
            sb.append('}');
        } else if (v instanceof TypedSet ts) {
            appendSet(sb, ts.type(), ts.elements());
        } else if (v instanceof Set<?> set) {
            appendSet(sb, setType(set), set);
        } else if (v instanceof Collection<?> list) {
            sb.append("{\"L\":[");
            boolean first = true;
            for (Object e : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendValue(sb, e);
            }
            sb.append("]}");
        } else {
            throw new IllegalArgumentException("no DynamoDB type for " + v.getClass().getName());
        }
    }

    private static void appendSet(StringBuilder sb, String type, Collection<?> elements) {
        sb.append("{\"").append(type).append("\":[");
        boolean first = true;
        for (Object e : elements) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            switch (type) {
                case "SS" -> appendQuoted(sb, (String) e);
                case "NS" -> sb.append('"').append(e instanceof String s ? s : numberText((Number) e)).append('"');
                case "BS" -> sb.append('"').append(e instanceof String s ? s
                        : Base64.getEncoder().encodeToString((byte[]) e)).append('"');
                default -> throw new IllegalArgumentException("not a set type: " + type);
            }
        }
        sb.append("]}");
    }

    private static String setType(Set<?> set) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException("empty Java set: its DynamoDB type is unknown; use stringSet() etc.");
        }
        Object first = set.iterator().next();
        if (first instanceof String) {
            return "SS";
        }
        if (first instanceof Number) {
            return "NS";
        }
        if (first instanceof byte[]) {
            return "BS";
        }
        throw new IllegalArgumentException("no DynamoDB set type for " + first.getClass().getName());
    }

    private static void appendDynamoValue(StringBuilder sb, DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            appendValue(sb, s.value());
        } else if (v instanceof DynamoValue.Num n) {
            sb.append("{\"N\":\"").append(n.value().toString()).append("\"}");
        } else if (v instanceof DynamoValue.Bin b) {
            sb.append("{\"B\":");
            appendQuoted(sb, b.base64());
            sb.append('}');
        } else if (v instanceof DynamoValue.Bool b) {
            appendValue(sb, b.value());
        } else if (v instanceof DynamoValue.Null) {
            appendValue(sb, null);
        } else if (v instanceof DynamoValue.MapValue m) {
            sb.append("{\"M\":");
            appendItem(sb, m.entries());
            sb.append('}');
        } else if (v instanceof DynamoValue.ListValue l) {
            appendValue(sb, l.elements());
        } else if (v instanceof DynamoValue.StrSet s) {
            appendSet(sb, "SS", s.values());
        } else if (v instanceof DynamoValue.NumSet s) {
            List<String> texts = new ArrayList<>();
            s.values().forEach(d -> texts.add(d.toString()));
            appendSet(sb, "NS", texts);
        } else if (v instanceof DynamoValue.BinSet s) {
            appendSet(sb, "BS", s.values());
        }
    }

    /** Plain notation without trailing zeros, as DynamoDB returns numbers. */
    public static String numberText(Number n) {
        BigDecimal d;
        if (n instanceof BigDecimal bd) {
            d = bd;
        } else if (n instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (n instanceof Double || n instanceof Float) {
            double x = n.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("DynamoDB has no NaN or Infinity; use n(\"NaN\") to test that");
            }
            d = new BigDecimal(n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(x));
        } else {
            d = BigDecimal.valueOf(n.longValue());
        }
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static Map<String, ?> stringKeys(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException("M keys must be strings, got " + k);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return typed;
    }

    /** JSON string literal: quotes, backslash and control characters escaped, the rest raw. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ------------------------------------------------------------------ expectations

    /**
     * The {@link DynamoValue} the decoder gives for {@link #value(Object) value(v)}. Typed
     * fragments are not supported (there is nothing to compare them with).
     */
    public static DynamoValue expected(Object v) {
        if (v instanceof DynamoValue dv) {
            return dv;
        }
        if (v == null) {
            return DynamoValue.Null.INSTANCE;
        }
        if (v instanceof String s) {
            return new DynamoValue.Str(s);
        }
        if (v instanceof Number n) {
            return new DynamoValue.Num(new BigDecimal(numberText(n)));
        }
        if (v instanceof Boolean b) {
            return b ? DynamoValue.Bool.TRUE : DynamoValue.Bool.FALSE;
        }
        if (v instanceof byte[] bytes) {
            return new DynamoValue.Bin(Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof Map<?, ?> m) {
            return new DynamoValue.MapValue(expectedItem(stringKeys(m)));
        }
        if (v instanceof TypedSet ts) {
            return expectedSet(ts.type(), ts.elements());
        }
        if (v instanceof Set<?> set) {
            return expectedSet(setType(set), set);
        }
        if (v instanceof Collection<?> list) {
            List<DynamoValue> out = new ArrayList<>();
            for (Object e : list) {
                out.add(expected(e));
            }
            return new DynamoValue.ListValue(Collections.unmodifiableList(out));
        }
        throw new IllegalArgumentException("no expected value for " + v.getClass().getName());
    }

    /** The decoded form of an object of attributes (order kept). */
    public static Map<String, DynamoValue> expectedItem(Map<String, ?> attributes) {
        Map<String, DynamoValue> m = new LinkedHashMap<>();
        attributes.forEach((k, v) -> m.put(k, expected(v)));
        return Collections.unmodifiableMap(m);
    }

    private static DynamoValue expectedSet(String type, Collection<?> elements) {
        switch (type) {
            case "SS" -> {
                List<String> out = new ArrayList<>();
                elements.forEach(e -> out.add((String) e));
                return new DynamoValue.StrSet(out);
            }
            case "NS" -> {
                List<BigDecimal> out = new ArrayList<>();
                elements.forEach(e -> out.add(new BigDecimal(e instanceof String s ? s : numberText((Number) e))));
                return new DynamoValue.NumSet(out);
            }
            case "BS" -> {
                List<String> out = new ArrayList<>();
                elements.forEach(e -> out.add(e instanceof String s ? s : Base64.getEncoder().encodeToString((byte[]) e)));
                return new DynamoValue.BinSet(out);
            }
            default -> throw new IllegalArgumentException(type);
        }
    }

    // ------------------------------------------------------------------ size

    /**
     * DynamoDB's item-size estimate (as in "SizeBytes"): names and values in bytes, numbers one byte
     * per two significant digits plus one, BOOL and NULL one byte, M and L three bytes plus one
     * per element. Typed fragments count their JSON length. Approximate, like AWS's own figure.
     */
    public static long size(Map<String, ?> attributes) {
        long total = 0;
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            total += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return total;
    }

    private static long valueSize(Object v) {
        if (v instanceof Typed t) {
            return utf8(t.json());
        }
        if (v instanceof DynamoValue dv) {
            return utf8(value(dv));
        }
        if (v == null || v instanceof Boolean) {
            return 1;
        }
        if (v instanceof String s) {
            return utf8(s);
        }
        if (v instanceof Number n) {
            return numberSize(numberText(n));
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        if (v instanceof Map<?, ?> m) {
            return 3 + size(stringKeys(m)) + m.size();
        }
        if (v instanceof TypedSet ts) {
            long total = 0;
            for (Object e : ts.elements()) {
                total += e instanceof byte[] b ? b.length : e instanceof Number n ? numberSize(numberText(n))
                        : ts.type().equals("NS") ? numberSize((String) e) : utf8((String) e);
            }
            return total;
        }
        if (v instanceof Set<?> set) {
            return valueSize(new TypedSet(setType(set), new ArrayList<>(set)));
        }
        if (v instanceof Collection<?> list) {
            long total = 3 + list.size();
            for (Object e : list) {
                total += valueSize(e);
            }
            return total;
        }
        return 0;
    }

    private static long numberSize(String text) {
        int digits = 0;
        boolean leading = true;
        int trailingZeros = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '0' && c <= '9') {
                if (leading && c == '0') {
                    continue;
                }
                leading = false;
                digits++;
                trailingZeros = c == '0' ? trailingZeros + 1 : 0;
            }
        }
        digits -= trailingZeros;
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Keeps insertion order and rejects duplicates, for building sets in order. */
    @SafeVarargs
    public static <T> Set<T> orderedSet(T... values) {
        Set<T> s = new LinkedHashSet<>();
        Collections.addAll(s, values);
        return s;
    }
}
