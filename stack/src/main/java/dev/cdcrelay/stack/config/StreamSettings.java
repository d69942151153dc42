package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Kinesis data stream between the table and the function.
 *
 * @param shardCount present exactly when the mode is PROVISIONED
 * @param kmsKey     {@code alias/aws/kinesis} or the ARN of a customer managed key
 */
public record StreamSettings(StreamMode mode, OptionalInt shardCount, int retentionHours, String kmsKey) {

    public static final String AWS_MANAGED_KEY = "alias/aws/kinesis";

    public StreamSettings {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(shardCount);
        Objects.requireNonNull(kmsKey);
    }

    /**
     * The key the function's role must be allowed to decrypt with: none for the AWS managed key, whose
     * key policy already admits every principal of the account that reads through Kinesis.
     */
    public Optional<String> customerManagedKeyArn() {
        return AWS_MANAGED_KEY.equals(kmsKey) ? Optional.empty() : Optional.of(kmsKey);
    }
}
