package dev.cdcrelay.stack.config;

import java.util.Objects;

/** One attribute of a DynamoDB key schema. */
public record KeyAttribute(String name, KeyType type) {

    public KeyAttribute {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
    }

    /** The {@code name:TYPE} entry of RELAY_KEY_SCHEMA. */
    public String schemaEntry() {
        return name + ":" + type.configValue();
    }
}
