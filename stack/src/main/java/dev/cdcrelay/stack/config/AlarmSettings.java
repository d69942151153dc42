package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Alarms and where they notify: a new SNS topic with an e-mail subscription, an existing topic, or
 * nobody (the alarms still show in CloudWatch). At most one of the two is present.
 */
public record AlarmSettings(Optional<String> email, Optional<String> existingTopicArn, int iteratorAgeMs,
                            int errorsThreshold, int failureQueueThreshold, int replicationLagMs) {

    public AlarmSettings {
        Objects.requireNonNull(email);
        Objects.requireNonNull(existingTopicArn);
    }
}
