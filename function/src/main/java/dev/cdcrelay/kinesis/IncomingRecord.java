package dev.cdcrelay.kinesis;

import java.util.Objects;

/**
 * One Kinesis record as the relay receives it, before decoding: what Lambda hands over, what the
 * replay command reads back, and what the dead-letter destination keeps.
 *
 * @param sequenceNumber       Kinesis sequence number (the checkpoint Lambda understands)
 * @param partitionKey         Kinesis partition key (may be empty for replayed records)
 * @param data                 the raw payload: UTF-8 JSON of one DynamoDB change record
 * @param arrivalEpochMillis   when Kinesis received it (0 if unknown)
 */
public record IncomingRecord(String sequenceNumber, String partitionKey, byte[] data, long arrivalEpochMillis) {
    public IncomingRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(data, "data");
        partitionKey = partitionKey == null ? "" : partitionKey;
    }
}
