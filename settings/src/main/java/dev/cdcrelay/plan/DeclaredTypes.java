package dev.cdcrelay.plan;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Exact types the operator declares for chosen top-level attributes ({@code RELAY_ATTRIBUTE_TYPES},
 * e.g. {@code count:BIGINT,serial:TEXT}). CrateDB fixes a dynamic column's type from the first value
 * it sees; declaring the type creates the column up front so the first value cannot decide wrongly.
 * TEXT keeps a 38-digit number exactly.
 *
 * <p>Lives in the settings module (package kept, so the planner's code is unchanged) because the
 * stack checks RELAY_ATTRIBUTE_TYPES with exactly this parser before it deploys anything.
 */
public record DeclaredTypes(Map<String, DeclaredType> byAttribute) {

    public enum DeclaredType {
        TEXT("TEXT"), BIGINT("BIGINT"), DOUBLE("DOUBLE PRECISION"), BOOLEAN("BOOLEAN");

        public final String sql;

        DeclaredType(String sql) {
            this.sql = sql;
        }
    }

    public static final DeclaredTypes NONE = new DeclaredTypes(Map.of());

    public DeclaredTypes {
        byAttribute = Collections.unmodifiableMap(new LinkedHashMap<>(byAttribute));
    }

    /** {@link #parse(String)} with errors that start with the setting's name. */
    public static DeclaredTypes parse(String spec, String settingName) {
        try {
            return parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settingName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code name:TYPE,...}; blank means none declared.
     *
     * @throws IllegalArgumentException with the reason, not naming the setting
     */
    public static DeclaredTypes parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, DeclaredType> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("'" + p + "' is not name:TYPE (e.g. count:BIGINT)");
            }
            String name = p.substring(0, colon).trim();
            String type = p.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            DeclaredType declared = Arrays.stream(DeclaredType.values()).filter(t -> t.name().equals(type)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("attribute '" + name + "' has type '" + type
                            + "'; use TEXT, BIGINT, DOUBLE or BOOLEAN"));
            if (m.put(name, declared) != null) {
                throw new IllegalArgumentException("attribute '" + name + "' declared twice");
            }
        }
        return new DeclaredTypes(m);
    }

    public DeclaredType get(String attribute) {
        return byAttribute.get(attribute);
    }
}
