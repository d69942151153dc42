package dev.cdcrelay.deadletter;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record the relay gave up on for good, with why: kept so an operator can look at it and replay
 * it later instead of letting it block its shard.
 *
 * <p>The payload is copied on construction, so a caller that reuses its buffer cannot change a
 * letter after the fact. {@code record().data()} hands out that copy: treat it as read-only.
 *
 * @param record   the Kinesis record exactly as it arrived (payload included)
 * @param reason   what is wrong with it, for a human (never the payload itself)
 * @param source   which stage gave up on it, e.g. {@link #SOURCE_DECODE} or {@link #SOURCE_DATABASE}
 * @param eventId  DynamoDB's event id when the payload could be decoded that far; null otherwise
 * @param failedAt when the relay gave up on it
 */
public record DeadLetter(IncomingRecord record, String reason, String source, String eventId, Instant failedAt) {

    /** The payload could not be decoded into a DynamoDB change. */
    public static final String SOURCE_DECODE = "decode";
    /** The database rejected the change in a way no retry can fix. */
    public static final String SOURCE_DATABASE = "database";

    public DeadLetter {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a dead letter needs a source, e.g. \"decode\"");
        }
        if (eventId != null && eventId.isBlank()) {
            eventId = null;
        }
        record = new IncomingRecord(record.sequenceNumber(), record.partitionKey(), record.data().clone(),
                record.arrivalEpochMillis());
    }

    // IncomingRecord compares its payload by reference; two letters for the same bytes are equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter that
                && record.sequenceNumber().equals(that.record.sequenceNumber())
                && record.partitionKey().equals(that.record.partitionKey())
                && Arrays.equals(record.data(), that.record.data())
                && record.arrivalEpochMillis() == that.record.arrivalEpochMillis()
                && reason.equals(that.reason)
                && source.equals(that.source)
                && Objects.equals(eventId, that.eventId)
                && failedAt.equals(that.failedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(record.sequenceNumber(), Arrays.hashCode(record.data()), reason, source, eventId, failedAt);
    }

    /** For log lines: names the record and the reason, never prints the payload. */
    @Override
    public String toString() {
        return "DeadLetter[sequenceNumber=" + record.sequenceNumber()
                + ", source=" + source
                + ", reason=" + reason
                + ", eventId=" + eventId
                + ", failedAt=" + failedAt
                + ", payloadBytes=" + record.data().length + "]";
    }
}
