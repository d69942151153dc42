package dev.cdcrelay.stack.config;

import java.util.Optional;

/**
 * Where the stack's settings come from: Pulumi config in a deployment, a plain map in tests and in
 * programs that embed the component. Keys are the short keys of the project's namespace
 * ({@code batchSize}, not {@code dynamodb-cdc-relay:batchSize}).
 */
public interface ConfigSource {

    /** The raw value of {@code key}, if set. Secret values are returned decrypted, for validation only. */
    Optional<String> get(String key);

    /**
     * Whether {@code key} is stored as a secret ({@code pulumi config set --secret}); empty when the
     * source cannot tell, in which case the secret check is skipped.
     */
    Optional<Boolean> isSecret(String key);
}
