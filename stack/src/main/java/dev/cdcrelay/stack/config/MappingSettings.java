package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The event source mapping from the stream to the function. Retries and record age are always
 * bounded: AWS's defaults (-1) would let one poison record block its shard for a week.
 *
 * @param startingPositionTimestamp present exactly when the starting position is AT_TIMESTAMP (RFC 3339)
 */
public record MappingSettings(int batchSize, int maximumBatchingWindowSeconds, int parallelizationFactor,
                              StartingPosition startingPosition, Optional<String> startingPositionTimestamp,
                              int maximumRetryAttempts, int maximumRecordAgeSeconds) {

    public MappingSettings {
        Objects.requireNonNull(startingPosition);
        Objects.requireNonNull(startingPositionTimestamp);
    }
}
