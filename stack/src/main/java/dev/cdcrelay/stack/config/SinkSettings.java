package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.TtlDeletes;

import java.util.Objects;
import java.util.Optional;

/**
 * What the function writes to, besides the credentials (those stay Pulumi secrets and travel as
 * {@code Output}s, see {@code CrateDbCredentials}).
 *
 * <p>{@code cratedbTable} and {@code attributeTypes} go to the function as written (CRATEDB_TABLE,
 * RELAY_ATTRIBUTE_TYPES; the latter left out when unset), {@code ttlDeletes} as RELAY_TTL_DELETES,
 * {@code sinkConnections} as RELAY_SINK_CONNECTIONS; the function's own rules check them before
 * deployment ({@link FunctionEnvironment#check}).
 *
 * @param sinkConnections the connections that write one batch at once
 * @param password        how the password is delivered to the function
 */
public record SinkSettings(String cratedbTable, TtlDeletes ttlDeletes, Optional<String> attributeTypes,
                           int sinkConnections, PasswordSettings password) {

    public SinkSettings {
        Objects.requireNonNull(cratedbTable);
        Objects.requireNonNull(ttlDeletes);
        Objects.requireNonNull(attributeTypes);
        Objects.requireNonNull(password);
    }
}
