package dev.cdcrelay.stack.config;

import java.util.Objects;

/**
 * Where records that cannot be applied end up.
 *
 * @param deadLetterPrefix       key prefix of poison records in the dead-letter bucket
 * @param deadLetterForceDestroy let `pulumi destroy` delete a bucket that still holds dead letters
 */
public record FailureSettings(String deadLetterPrefix, int deadLetterExpirationDays, boolean deadLetterForceDestroy,
                              int failureQueueRetentionDays) {

    public FailureSettings {
        Objects.requireNonNull(deadLetterPrefix);
    }

    /** The same settings for dead letters under {@code prefix}. */
    public FailureSettings underPrefix(String prefix) {
        return new FailureSettings(prefix, deadLetterExpirationDays, deadLetterForceDestroy, failureQueueRetentionDays);
    }
}
