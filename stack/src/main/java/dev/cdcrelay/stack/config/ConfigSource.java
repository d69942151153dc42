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

    /**
     * The AWS region the stack deploys into, when the source knows it. Settings bound to a region (an
     * existing stream, a prebuilt image) are checked against it; when it is unknown those checks are
     * skipped and AWS refuses the mismatch at deploy time instead.
     */
    default Optional<String> deploymentRegion() {
        return Optional.empty();
    }
}
