package dev.cdcrelay.stack.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A table's primary key: the function needs it to build CrateDB's primary key from the change record. */
public record KeySchema(KeyAttribute hashKey, Optional<KeyAttribute> rangeKey) {

    public KeySchema {
        Objects.requireNonNull(hashKey);
        Objects.requireNonNull(rangeKey);
    }

    /**
     * The key schema of a table read from AWS: key names from the table, their types from its attribute
     * definitions (which always cover the key attributes).
     *
     * @throws IllegalStateException when a key attribute has no S, N or B definition
     */
    public static KeySchema of(String hashKeyName, Optional<String> rangeKeyName, Map<String, String> attributeTypes) {
        return new KeySchema(attribute(hashKeyName, attributeTypes),
                rangeKeyName.filter(name -> !name.isEmpty()).map(name -> attribute(name, attributeTypes)));
    }

    private static KeyAttribute attribute(String name, Map<String, String> attributeTypes) {
        var type = attributeTypes.get(name);
        for (var keyType : KeyType.values()) {
            if (keyType.configValue().equals(type)) {
                return new KeyAttribute(name, keyType);
            }
        }
        throw new IllegalStateException("key attribute '" + name + "' has type " + type
                + " in the table's attribute definitions; expected S, N or B");
    }

    /** The RELAY_KEY_SCHEMA value: {@code hash:TYPE[,range:TYPE]}, hash key first. */
    public String format() {
        return hashKey.schemaEntry() + rangeKey.map(range -> "," + range.schemaEntry()).orElse("");
    }
}
