package dev.cdcrelay.decode;

import java.util.Map;
import java.util.Objects;

/**
 * One decoded DynamoDB item change, as carried by one Kinesis record.
 *
 * @param sequenceNumber the Kinesis sequence number of the record that carried it (what Lambda
 *                       checkpoints on)
 * @param eventId        DynamoDB's event id
 * @param eventName      INSERT, MODIFY or REMOVE
 * @param expiredByTtl   true for a REMOVE that DynamoDB's TTL made (service identity)
 * @param version        change time (µs) and sequence number: orders changes of one item
 * @param keys           the item's key attributes (never empty)
 * @param newImage       the item after the change; null for REMOVE
 * @param tableName      the source table
 * @param itemKey        the item's identity, derived from {@code keys} (computed once: the reducer,
 *                       planner and writer all key on it)
 */
public record ChangeRecord(
        String sequenceNumber,
        String eventId,
        EventName eventName,
        boolean expiredByTtl,
        ChangeVersion version,
        Map<String, DynamoValue> keys,
        Map<String, DynamoValue> newImage,
        String tableName,
        ItemKey itemKey) {

    public ChangeRecord(String sequenceNumber, String eventId, EventName eventName, boolean expiredByTtl,
                        ChangeVersion version, Map<String, DynamoValue> keys, Map<String, DynamoValue> newImage,
                        String tableName) {
        this(sequenceNumber, eventId, eventName, expiredByTtl, version, keys, newImage, tableName,
                keys == null || keys.isEmpty() ? null : ItemKey.of(keys));
    }

    public ChangeRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a change record needs at least one key attribute");
        }
        if (eventName != EventName.REMOVE) {
            Objects.requireNonNull(newImage, "newImage is required for " + eventName);
        }
        Objects.requireNonNull(itemKey, "itemKey");
        if (!itemKey.attributes().equals(keys)) {
            throw new IllegalArgumentException("itemKey does not match keys");
        }
    }
}
