package dev.cdcrelay.decode;

import java.math.BigDecimal;
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
        AttributeMap sorted = switch (keys.size()) {
            case 1 -> copyOfOne(keys);
            case 2 -> copyOfTwo(keys);
            default -> AttributeMap.of(new TreeMap<>(keys));
        };
        int count = sorted.size();
        String[] texts = new String[count];
        int hash = 1;
        boolean plain = true;
        for (int i = 0; i < count; i++) {
            String name = sorted.nameAt(i);
            String text = text(name, sorted.valueAt(i));
            texts[i] = text;
            plain &= !JsonStrings.needsEscape(name) && !JsonStrings.needsEscape(text);
            hash = 31 * (31 * hash + name.hashCode()) + text.hashCode();
        }
        return new ItemKey(sorted, plain && count <= 2 ? plainCanonical(sorted, texts) : canonical(sorted, texts), hash);
    }

    /** The text a key value stands for in the canonical form. */
    private static String text(String name, DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            return s.value();
        }
        if (v instanceof DynamoValue.Num n) {
            return canonicalNumber(n.value());
        }
        if (v instanceof DynamoValue.Bin b) {
            return b.base64();
        }
        throw new IllegalArgumentException(
                "key attribute '" + name + "' has type " + v.typeName() + "; keys are S, N or B");
    }

    private static String canonical(AttributeMap sorted, String[] texts) {
        StringBuilder sb = new StringBuilder(128);   // two keys of a usual size: no growth
        sb.append('{');
        for (int i = 0; i < texts.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonStrings.appendQuoted(sb, sorted.nameAt(i));
            sb.append(":{\"").append(sorted.valueAt(i).typeName()).append("\":");
            JsonStrings.appendQuoted(sb, texts[i]);
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    /**
     * {@link #canonical} of one or two attributes whose names and texts need no escape (DynamoDB
     * keys nearly always): one concatenation of known length instead of a dozen appends, each
     * with its capacity check (~4 % of decoding a seed record).
     */
    private static String plainCanonical(AttributeMap sorted, String[] texts) {
        String name = sorted.nameAt(0);
        String type = sorted.valueAt(0).typeName();
        if (texts.length == 1) {
            return "{\"" + name + "\":{\"" + type + "\":\"" + texts[0] + "\"}}";
        }
        return "{\"" + name + "\":{\"" + type + "\":\"" + texts[0] + "\"},\"" + sorted.nameAt(1) + "\":{\""
                + sorted.valueAt(1).typeName() + "\":\"" + texts[1] + "\"}}";
    }

    private static AttributeMap copyOfOne(Map<String, DynamoValue> keys) {
        return AttributeMap.of(keys);   // a decoded record's keys are one already: no copy
    }

    /** Both attributes in name order (the order of a TreeMap's natural ordering). */
    private static AttributeMap copyOfTwo(Map<String, DynamoValue> keys) {
        AttributeMap given = AttributeMap.of(keys);
        int first = given.nameAt(0).compareTo(given.nameAt(1)) > 0 ? 1 : 0;
        if (first == 0) {
            return given;   // already in name order, and as unmodifiable as a copy would be
        }
        AttributeMap.Builder sorted = new AttributeMap.Builder();
        sorted.add(given.nameAt(1), given.valueAt(1));
        sorted.add(given.nameAt(0), given.valueAt(0));
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
