package dev.cdcrelay.local;

import dev.cdcrelay.backfill.scan.AttributeValues;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Re-wraps a DynamoDB Streams record (what DynamoDB Local serves) as the record Kinesis Data Streams
 * for DynamoDB puts on the stream (REFERENCE.md section 1), field for field, so the real handler
 * sees what it sees on AWS.
 *
 * <p><b>Change time.</b> DynamoDB Local gives {@code ApproximateCreationDateTime} in epoch seconds
 * rounded down to the minute, so every change of one minute carries the same time. The relay
 * orders an item's changes by that time (µs) first and the Kinesis sequence number second. Kinesis
 * sequence numbers only order within a shard, and on AWS the time is what orders changes, so this
 * wrapper makes the time carry the stream order: {@code max(seconds × 10^6, previous + 1)} per
 * wrapper, in the order records are read from the stream. The result is strictly increasing, never
 * earlier than DynamoDB Local's own time, and exact to the minute.
 *
 * <p><b>Sequence number.</b> The stream sequence number's digits, left-padded with zeros to 56
 * digits like a Kinesis sequence number. <b>Partition key:</b> as on AWS, 32 upper-case hex
 * digits (MD5 of the item's key JSON), equal for every change of one item.
 *
 * <p>Not thread-safe: one wrapper per stream reader.
 */
public final class KinesisRecordWrapper {

    public static final int SEQUENCE_DIGITS = 56;
    private static final JsonFactory JSON = new JsonFactory();

    private final String region;
    private final String tableName;
    private final String streamArn;
    private long lastMicros;

    public KinesisRecordWrapper(String region, String tableName, String streamArn) {
        this.region = region;
        this.tableName = tableName;
        this.streamArn = streamArn;
    }

    /** One wrapped record: what goes into one record of a Lambda event from Kinesis. */
    public record Wrapped(String sequenceNumber, String partitionKey, byte[] data, long arrivalMillis,
                          String shardId) {

        public String json() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /**
         * This record as one element of a Lambda event's {@code Records}, spelled as Lambda sends
         * it: the data in base64, the arrival time in epoch seconds with milliseconds.
         */
        public void writeEventRecord(JsonGenerator json, String region, String kinesisStreamArn) throws IOException {
            json.writeStartObject();
            json.writeObjectFieldStart("kinesis");
            json.writeStringField("kinesisSchemaVersion", "1.0");
            json.writeStringField("partitionKey", partitionKey);
            json.writeStringField("sequenceNumber", sequenceNumber);
            json.writeStringField("data", Base64.getEncoder().encodeToString(data));
            json.writeFieldName("approximateArrivalTimestamp");
            json.writeNumber(BigDecimal.valueOf(arrivalMillis, 3));
            json.writeEndObject();
            json.writeStringField("eventSource", "aws:kinesis");
            json.writeStringField("eventVersion", "1.0");
            json.writeStringField("eventID", shardId + ":" + sequenceNumber);
            json.writeStringField("eventName", "aws:kinesis:record");
            json.writeStringField("invokeIdentityArn", "arn:aws:iam::000000000000:role/cdc-relay-local");
            json.writeStringField("awsRegion", region);
            json.writeStringField("eventSourceARN", kinesisStreamArn);
            json.writeEndObject();
        }
    }

    /** Wraps one stream record; call in stream order (the change time depends on it). */
    public Wrapped wrap(Record record, String shardId) {
        StreamRecord d = record.dynamodb();
        Instant t = d.approximateCreationDateTime();
        long micros = t == null ? 0 : t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
        micros = Math.max(micros, lastMicros + 1);
        lastMicros = micros;

        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("awsRegion", region);
            g.writeStringField("eventID", record.eventID());
            g.writeStringField("eventName", record.eventNameAsString());
            g.writeFieldName("userIdentity");
            Identity id = record.userIdentity();
            if (id == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("type", id.type());
                g.writeStringField("principalId", id.principalId());
                g.writeEndObject();
            }
            g.writeStringField("recordFormat", "application/json");
            g.writeStringField("tableName", tableName);
            g.writeStringField("eventSource", "aws:dynamodb");
            g.writeObjectFieldStart("dynamodb");
            g.writeNumberField("ApproximateCreationDateTime", micros);
            g.writeStringField("ApproximateCreationDateTimePrecision", "MICROSECOND");
            writeItem(g, "Keys", d.hasKeys() ? d.keys() : null);
            writeItem(g, "NewImage", d.hasNewImage() ? d.newImage() : null);
            writeItem(g, "OldImage", d.hasOldImage() ? d.oldImage() : null);
            if (d.sizeBytes() != null) {
                g.writeNumberField("SizeBytes", d.sizeBytes());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Wrapped(kinesisSequence(d.sequenceNumber()), partitionKey(d.keys()), out.toByteArray(),
                System.currentTimeMillis(), shardId);
    }

    public String region() {
        return region;
    }

    /** A made-up Kinesis stream ARN for the event records' eventSourceARN. */
    public String kinesisStreamArn() {
        return "arn:aws:kinesis:" + region + ":000000000000:stream/" + tableName + "-cdc";
    }

    public String streamArn() {
        return streamArn;
    }

    /** The stream sequence number's digits, zero-padded to 56 digits. */
    public static String kinesisSequence(String streamSequence) {
        String digits = new BigInteger(streamSequence.trim()).toString();
        if (digits.length() >= SEQUENCE_DIGITS) {
            return digits;
        }
        return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits;
    }

    static String partitionKey(Map<String, AttributeValue> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeMap(g, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(out.toByteArray());
            StringBuilder sb = new StringBuilder(32);
            for (byte b : md5) {
                sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeItem(JsonGenerator g, String field, Map<String, AttributeValue> item) throws IOException {
        if (item != null) {
            g.writeFieldName(field);
            writeMap(g, item);
        }
    }

    private static void writeMap(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** One typed value, e.g. {@code {"N":"42.42"}} (the backfill's writer: one format, one place). */
    static void writeValue(JsonGenerator g, AttributeValue v) throws IOException {
        AttributeValues.writeValue(g, v);
    }
}
