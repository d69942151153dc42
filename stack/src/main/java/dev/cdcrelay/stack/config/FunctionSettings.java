package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Size and limits of the Lambda function, its log group and its application log level.
 */
public record FunctionSettings(int memoryMb, int timeoutSeconds, OptionalInt reservedConcurrency,
                               int logRetentionDays, ApplicationLogLevel logLevel) {

    public FunctionSettings {
        Objects.requireNonNull(reservedConcurrency);
        Objects.requireNonNull(logLevel);
    }
}
