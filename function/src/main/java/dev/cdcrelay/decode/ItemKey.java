package dev.cdcrelay.decode;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of one item: its key attributes, in name order, with a canonical text form that
 * is equal exactly when the keys are equal (numbers compared by value, not by spelling).
 */
public final class ItemKey {

    private final Map<String, DynamoValue> attributes;
    private final String canonical;
    /**
     * From the names and value texts the canonical text is made of (equal texts, equal hashes),
     * not from the whole text: that is two to three times longer, and every record's key is
     * hashed once by the reducer.
     */
    private final int hash;

    private ItemKey(Map<String, DynamoValue> attributes, String canonical, int hash) {
        this.attributes = attributes;
        this.canonical = canonical;
        this.hash = hash;
    }

    /** Control characters are escaped in the canonical text, so it is safe in a SQL literal too. */
    public static ItemKey of(Map<String, DynamoValue> keys) {
        // A copy in name order; the one or two attributes of a DynamoDB key need no tree for that.
        Map<String, DynamoValue> sorted = switch (keys.size()) {
            case 1 -> copyOfOne(keys);
            case 2 -> copyOfTwo(keys);
            default -> Collections.unmodifiableMap(new TreeMap<>(keys));
        };
        StringBuilder sb = new StringBuilder(128);   // two keys of a usual size: no growth
        sb.append('{');
        boolean first = true;
        int hash = 1;
        for (Map.Entry<String, DynamoValue> e : sorted.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            JsonStrings.appendQuoted(sb, e.getKey());
            sb.append(":{\"");
            DynamoValue v = e.getValue();
            sb.append(v.typeName()).append("\":");
            String text;
            if (v instanceof DynamoValue.Str s) {
                text = s.value();
            } else if (v instanceof DynamoValue.Num n) {
                text = canonicalNumber(n.value());
            } else if (v instanceof DynamoValue.Bin b) {
                text = b.base64();
            } else {
                throw new IllegalArgumentException(
                        "key attribute '" + e.getKey() + "' has type " + v.typeName() + "; keys are S, N or B");
            }
            JsonStrings.appendQuoted(sb, text);
            sb.append('}');
            hash = 31 * (31 * hash + e.getKey().hashCode()) + text.hashCode();
        }
        sb.append('}');
        return new ItemKey(sorted, sb.toString(), hash);
    }

    private static Map<String, DynamoValue> copyOfOne(Map<String, DynamoValue> keys) {
        Map.Entry<String, DynamoValue> only = keys.entrySet().iterator().next();
        return Map.of(only.getKey(), only.getValue());
    }

    /** Both entries in name order (the order of a TreeMap's natural ordering). */
    private static Map<String, DynamoValue> copyOfTwo(Map<String, DynamoValue> keys) {
        Iterator<Map.Entry<String, DynamoValue>> entries = keys.entrySet().iterator();
        Map.Entry<String, DynamoValue> a = entries.next();
        Map.Entry<String, DynamoValue> b = entries.next();
        if (a.getKey().compareTo(b.getKey()) > 0) {
            Map.Entry<String, DynamoValue> first = b;
            b = a;
            a = first;
        }
        AttributeMap.Builder sorted = new AttributeMap.Builder();
        sorted.add(a.getKey(), a.getValue());
        sorted.add(b.getKey(), b.getValue());
        return sorted.build();
    }

    /** A number's canonical text: equal for equal values, whatever the spelling (1.50, 15E-1). */
    public static String canonicalNumber(BigDecimal n) {
        return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
    }

    /** Key attributes by name, in name order. */
    public Map<String, DynamoValue> attributes() {
        return attributes;
    }

    /** DynamoDB-JSON text of the key, attributes in name order, numbers canonical. */
    public String canonical() {
        return canonical;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemKey k && k.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return canonical;
    }
}
