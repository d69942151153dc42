package dev.cdcrelay.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * RELAY_KEY_SCHEMA as written: {@code name:TYPE[:SQLTYPE]}, hash key first, e.g.
 * {@code device:S,timestamp:S} or {@code id:N:TEXT}. The function turns it into its KeySchema.
 */
public record KeySchemaSpec(List<Entry> entries) {

    /** One key attribute: DynamoDB type S, N or B, and the SQL type of its primary-key column. */
    public record Entry(String name, String dynamoType, SqlType sqlType) {
        public Entry {
            Objects.requireNonNull(name);
            Objects.requireNonNull(dynamoType);
            Objects.requireNonNull(sqlType);
        }
    }

    /**
     * How a key value is stored. Numbers default to BIGINT: a DOUBLE key could merge two distinct
     * 17-digit keys into one row, so fractional or huge numeric keys must be declared TEXT.
     */
    public enum SqlType { TEXT, BIGINT, DOUBLE }

    public KeySchemaSpec {
        entries = List.copyOf(entries);
    }

    /** N keys are BIGINT unless declared otherwise; S and B keys are TEXT. */
    public static SqlType defaultSqlType(String dynamoType) {
        return dynamoType.equals("N") ? SqlType.BIGINT : SqlType.TEXT;
    }

    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * @throws IllegalArgumentException with the reason (not naming the variable)
     */
    public static KeySchemaSpec parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                entries.add(entry(p));
            }
        }
        if (entries.isEmpty() || entries.size() > 2) {
            throw new IllegalArgumentException("expected one or two key attributes, got " + entries.size()
                    + " in '" + spec + "'");
        }
        if (entries.size() == 2 && entries.get(0).name().equals(entries.get(1).name())) {
            throw new IllegalArgumentException("key attribute '" + entries.get(0).name() + "' given twice");
        }
        return new KeySchemaSpec(entries);
    }

    private static Entry entry(String p) {
        String[] bits = p.split(":");
        if (bits.length < 2 || bits.length > 3 || bits[0].isBlank()) {
            throw new IllegalArgumentException("'" + p + "' is not name:TYPE[:SQLTYPE] (e.g. device:S or id:N:TEXT)");
        }
        String name = bits[0].trim();
        String type = bits[1].trim().toUpperCase(Locale.ROOT);
        if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
            throw new IllegalArgumentException("key attribute '" + name + "' has type '" + bits[1].trim()
                    + "'; key types are S, N or B");
        }
        SqlType sql = defaultSqlType(type);
        if (bits.length == 3) {
            try {
                sql = SqlType.valueOf(bits[2].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("key attribute '" + name + "' has SQL type '" + bits[2].trim()
                        + "'; use TEXT, BIGINT or DOUBLE");
            }
            if (!type.equals("N") && sql != SqlType.TEXT) {
                throw new IllegalArgumentException("key attribute '" + name + "' of type " + type
                        + " can only be stored as TEXT");
            }
        }
        return new Entry(name, type, sql);
    }
}
