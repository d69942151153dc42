package dev.cdcrelay.plan;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.decode.JsonStrings;
import dev.cdcrelay.settings.KeySchemaSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The source table's key attributes (hash key first) and the SQL type each gets in the sink's
 * primary key. Written {@code name:TYPE[:SQLTYPE]} in {@code RELAY_KEY_SCHEMA}, e.g.
 * {@code device:S,timestamp:S} or {@code id:N:TEXT}.
 */
public record KeySchema(List<KeyAttribute> attributes) {

    /** One key attribute: its DynamoDB type (S, N or B) and the sink column type. */
    public record KeyAttribute(String name, String dynamoType, SqlKeyType sqlType) {
        public KeyAttribute {
            Objects.requireNonNull(name);
            Objects.requireNonNull(dynamoType);
            Objects.requireNonNull(sqlType);
        }
    }

    /** How a key value is stored: the constants of {@link KeySchemaSpec.SqlType}, which says why. */
    public enum SqlKeyType { TEXT, BIGINT, DOUBLE }

    public KeySchema {
        attributes = List.copyOf(attributes);
        if (attributes.isEmpty() || attributes.size() > 2) {
            throw new IllegalArgumentException("a DynamoDB key has one or two attributes, got " + attributes.size());
        }
    }

    /** Parses RELAY_KEY_SCHEMA (grammar and rules: {@link KeySchemaSpec}); errors start with settingName. */
    public static KeySchema parse(String spec, String settingName) {
        try {
            return of(KeySchemaSpec.parse(spec));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settingName + ": " + e.getMessage(), e);
        }
    }

    public static KeySchema of(KeySchemaSpec spec) {
        return new KeySchema(spec.entries().stream()
                .map(entry -> new KeyAttribute(entry.name(), entry.dynamoType(), SqlKeyType.valueOf(entry.sqlType().name())))
                .toList());
    }

    /** The key schema implied by one record's Keys, when none is configured. */
    public static KeySchema inferFrom(Map<String, DynamoValue> keys) {
        List<KeyAttribute> attrs = new ArrayList<>();
        for (Map.Entry<String, DynamoValue> e : keys.entrySet()) {
            String type = e.getValue().typeName();
            attrs.add(new KeyAttribute(e.getKey(), type, defaultSqlType(type)));
        }
        attrs.sort((a, b) -> a.name().compareTo(b.name()));
        return new KeySchema(attrs);
    }

    private static SqlKeyType defaultSqlType(String dynamoType) {
        return SqlKeyType.valueOf(KeySchemaSpec.defaultSqlType(dynamoType).name());
    }

    public List<String> names() {
        return attributes.stream().map(KeyAttribute::name).toList();
    }

    /**
     * The values to bind for one item's key, in schema order, converted to the key's SQL type.
     *
     * @throws IllegalArgumentException naming the attribute when the record's key does not fit
     */
    public List<Object> bindValues(Map<String, DynamoValue> keys) {
        if (keys.size() != attributes.size()) {
            throw new IllegalArgumentException("record has key attributes " + keys.keySet()
                    + " but the key schema is " + names());
        }
        List<Object> values = new ArrayList<>(attributes.size());
        for (KeyAttribute a : attributes) {
            DynamoValue v = keys.get(a.name());
            if (v == null) {
                throw new IllegalArgumentException("record has key attributes " + keys.keySet()
                        + " but the key schema is " + names());
            }
            if (!v.typeName().equals(a.dynamoType())) {
                throw new IllegalArgumentException("key attribute '" + a.name() + "' is " + v.typeName()
                        + " in this record but " + a.dynamoType() + " in the key schema");
            }
            values.add(convert(a, v));
        }
        return values;
    }

    private static Object convert(KeyAttribute a, DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            return s.value();
        }
        if (v instanceof DynamoValue.Bin b) {
            return b.base64();
        }
        var n = ((DynamoValue.Num) v).value();
        switch (a.sqlType()) {
            case BIGINT:
                try {
                    return n.longValueExact();
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("key attribute '" + a.name()
                            + "' is not a whole number within BIGINT range; declare it TEXT, e.g. RELAY_KEY_SCHEMA="
                            + a.name() + ":N:TEXT");
                }
            case DOUBLE:
                return n.doubleValue();
            default:
                return ItemKey.canonicalNumber(n);
        }
    }

    /** The key as a JSON object of attribute name to bound value; small and hot, so written directly. */
    public String toJson(List<Object> keyValues) {
        StringBuilder sb = new StringBuilder(128).append('{');
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            JsonStrings.appendEscaped(sb, attributes.get(i).name());
            sb.append("\":");
            Object v = keyValues.get(i);
            if (v instanceof Long) {
                sb.append(v);
            } else if (v instanceof Double d) {
                sb.append(DoubleText.shortest(d));
            } else {
                sb.append('"');
                JsonStrings.appendEscaped(sb, v.toString());
                sb.append('"');
            }
        }
        return sb.append('}').toString();
    }

    /** Back from a stored SQL value to the DynamoDB value it came from (for matching rows to keys). */
    public DynamoValue fromSql(KeyAttribute a, Object sqlValue) {
        if (sqlValue == null) {
            throw new IllegalArgumentException("stored key attribute '" + a.name() + "' is NULL");
        }
        switch (a.dynamoType()) {
            case "S":
                return new DynamoValue.Str(sqlValue.toString());
            case "B":
                return new DynamoValue.Bin(sqlValue.toString());
            default:
                if (sqlValue instanceof Number num && !(sqlValue instanceof BigDecimal)) {
                    if (sqlValue instanceof Double || sqlValue instanceof Float) {
                        // A double's shortest text, as the key was planned (toJson) and as CrateDB spells it.
                        return new DynamoValue.Num(new BigDecimal(
                                sqlValue instanceof Double d ? DoubleText.shortest(d) : num.toString()));
                    }
                    return new DynamoValue.Num(BigDecimal.valueOf(num.longValue()));
                }
                return new DynamoValue.Num(new BigDecimal(sqlValue.toString()));
        }
    }
}
