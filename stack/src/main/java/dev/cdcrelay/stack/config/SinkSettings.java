package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What the function writes to, besides the credentials (those stay Pulumi secrets and travel as
 * {@code Output}s, see {@code CrateDbCredentials}).
 *
 * @param attributeTypes passed through to RELAY_ATTRIBUTE_TYPES as is; the function parses it
 * @param password       how the password is delivered to the function
 */
public record SinkSettings(String cratedbTable, TtlDeletes ttlDeletes, Optional<String> attributeTypes,
                           PasswordSettings password) {

    public SinkSettings {
        Objects.requireNonNull(cratedbTable);
        Objects.requireNonNull(ttlDeletes);
        Objects.requireNonNull(attributeTypes);
        Objects.requireNonNull(password);
    }
}
