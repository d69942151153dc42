package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.OptionalInt;

/** Size and limits of the Lambda function and its log group. */
public record FunctionSettings(int memoryMb, int timeoutSeconds, OptionalInt reservedConcurrency,
                               int logRetentionDays) {

    public FunctionSettings {
        Objects.requireNonNull(reservedConcurrency);
    }
}
