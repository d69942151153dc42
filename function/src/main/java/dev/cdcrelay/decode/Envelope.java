package dev.cdcrelay.decode;

import java.util.Map;

/**
 * What {@link EnvelopeReader} found in one change record, field by field, before the rules on
 * which parts are required are applied by {@link #toChangeRecord(String)}.
 */
final class Envelope {

    EventName eventName;
    String eventId;
    String tableName;
    /** userIdentity is DynamoDB's own TTL service. */
    boolean ttlIdentity;
    /** The {@code dynamodb} object was present. */
    boolean hasDynamodb;
    boolean hasTime;
    /** ApproximateCreationDateTime, in the unit given by {@link #inMicros}. */
    long time;
    boolean inMicros;
    Map<String, DynamoValue> keys;
    Map<String, DynamoValue> newImage;

    /**
     * The record, once the required parts are there: eventName, dynamodb with its time and Keys,
     * and NewImage unless the change is a REMOVE. The time is converted to microseconds.
     */
    ChangeRecord toChangeRecord(String seq) {
        if (eventName == null) {
            throw DecodeFailure.of("eventName is missing");
        }
        if (!hasDynamodb) {
            throw DecodeFailure.of("dynamodb is missing");
        }
        if (!hasTime) {
            throw DecodeFailure.of("dynamodb.ApproximateCreationDateTime is missing");
        }
        if (keys == null) {
            throw DecodeFailure.of("dynamodb.Keys is missing");
        }
        if (keys.isEmpty()) {
            throw DecodeFailure.of("dynamodb.Keys is empty");
        }
        boolean remove = eventName == EventName.REMOVE;
        if (!remove && newImage == null) {
            throw DecodeFailure.of("dynamodb.NewImage is missing (required for " + eventName + ")");
        }
        return new ChangeRecord(seq, eventId, eventName, remove && ttlIdentity, new ChangeVersion(micros(), seq), keys,
                remove ? null : newImage, tableName);
    }

    private long micros() {
        if (inMicros) {
            return time;
        }
        if (time > Long.MAX_VALUE / 1000) {
            throw DecodeFailure.of("dynamodb.ApproximateCreationDateTime is out of range");
        }
        return time * 1000;
    }
}
