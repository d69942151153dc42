package dev.cdcrelay.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.cdcrelay.kinesis.IncomingRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * One Kinesis shard's worth of records, as Lambda hands them over.
 *
 * <pre>{@code
 * KinesisRecords shard = new KinesisRecords();
 * IncomingRecord r1 = shard.next(ChangeJson.insert().key("id", 1).set("v", 1));
 * IncomingRecord r2 = shard.next("{\"not\":\"a change\"}".getBytes(UTF_8));
 * String event = KinesisRecords.lambdaEventJson(List.of(r1, r2));   // what the handler reads
 * }</pre>
 *
 * Sequence numbers are 56-digit decimal strings like real Kinesis ones, strictly increasing (as
 * numbers and as text) in the order {@link #next} is called. A {@code KinesisRecords} is not
 * thread-safe; the static methods are.
 */
public final class KinesisRecords {

    public static final String SHARD_ID = "shardId-000000000000";
    public static final String REGION = "eu-central-1";
    public static final String STREAM_ARN = "arn:aws:kinesis:eu-central-1:123456789012:stream/x";
    public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/x";
    /** Arrival time of the first record from raw bytes (the seed's change time, in ms). */
    public static final long DEFAULT_ARRIVAL_MILLIS = 1720742302233L;

    private static final String SEQUENCE_PREFIX = "49654120";   // 8 digits + 48 digits of index

    private long nextIndex;
    private long nextArrivalMillis = DEFAULT_ARRIVAL_MILLIS;

    /** Starts at sequence index 1. */
    public KinesisRecords() {
        this(1);
    }

    /** Starts at the given sequence index (see {@link #sequenceNumber(long)}). */
    public KinesisRecords(long firstIndex) {
        if (firstIndex < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
        this.nextIndex = firstIndex;
    }

    /**
     * The 56-digit sequence number with this index; a larger index gives a larger number (both
     * numerically and as text).
     */
    public static String sequenceNumber(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
        String digits = Long.toString(index);
        return SEQUENCE_PREFIX + "0".repeat(48 - digits.length()) + digits;
    }

    /** The sequence number {@link #next} will use next. */
    public String peekSequenceNumber() {
        return sequenceNumber(nextIndex);
    }

    /**
     * The next record carrying this change: partition key from its keys, arrival 100 ms after its
     * change time.
     */
    public IncomingRecord next(ChangeJson change) {
        long arrival = Math.max(change.expectedMicros() / 1000 + 100, 0);
        return new IncomingRecord(sequenceNumber(nextIndex++), change.partitionKey(), change.toBytes(), arrival);
    }

    /** The next record carrying these bytes (any bytes), with an empty partition key. */
    public IncomingRecord next(byte[] data) {
        return new IncomingRecord(sequenceNumber(nextIndex++), "", data, nextArrivalMillis++);
    }

    /** The next record carrying this text as UTF-8. */
    public IncomingRecord next(String json) {
        return next(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One record per change, in order. */
    public List<IncomingRecord> all(ChangeJson... changes) {
        List<IncomingRecord> out = new ArrayList<>(changes.length);
        for (ChangeJson c : changes) {
            out.add(next(c));
        }
        return out;
    }

    // ------------------------------------------------------------------ Lambda event

    /**
     * The Lambda Kinesis event document for these records, exactly like Lambda sends it
     * ({@code {"Records":[{"kinesis":{...,"data":"<base64>",...},"eventSource":"aws:kinesis",...}]}}).
     */
    public static String lambdaEventJson(List<IncomingRecord> records) {
        StringBuilder sb = new StringBuilder(256 + records.size() * 600);
        sb.append("{\"Records\":[");
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            IncomingRecord r = records.get(i);
            sb.append("{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":");
            DynamoJson.appendQuoted(sb, r.partitionKey());
            sb.append(",\"sequenceNumber\":");
            DynamoJson.appendQuoted(sb, r.sequenceNumber());
            sb.append(",\"data\":\"").append(Base64.getEncoder().encodeToString(r.data()));
            sb.append("\",\"approximateArrivalTimestamp\":").append(arrivalSeconds(r.arrivalEpochMillis()));
            sb.append("},\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\",\"eventID\":");
            DynamoJson.appendQuoted(sb, SHARD_ID + ":" + r.sequenceNumber());
            sb.append(",\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"").append(ROLE_ARN)
                    .append("\",\"awsRegion\":\"").append(REGION)
                    .append("\",\"eventSourceARN\":\"").append(STREAM_ARN).append("\"}");
        }
        sb.append("]}");
        return sb.toString();
    }

    /** {@link #lambdaEventJson} as UTF-8 bytes (what a RequestStreamHandler reads). */
    public static byte[] lambdaEventBytes(List<IncomingRecord> records) {
        return lambdaEventJson(records).getBytes(StandardCharsets.UTF_8);
    }

    /** The same event as aws-lambda-java-events' {@link KinesisEvent} (for a RequestHandler). */
    public static KinesisEvent kinesisEvent(List<IncomingRecord> records) {
        List<KinesisEvent.KinesisEventRecord> out = new ArrayList<>(records.size());
        for (IncomingRecord r : records) {
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setKinesisSchemaVersion("1.0");
            k.setPartitionKey(r.partitionKey());
            k.setSequenceNumber(r.sequenceNumber());
            k.setData(ByteBuffer.wrap(r.data().clone()));
            k.setApproximateArrivalTimestamp(new Date(r.arrivalEpochMillis()));
            KinesisEvent.KinesisEventRecord e = new KinesisEvent.KinesisEventRecord();
            e.setKinesis(k);
            e.setEventSource("aws:kinesis");
            e.setEventVersion("1.0");
            e.setEventID(SHARD_ID + ":" + r.sequenceNumber());
            e.setEventName("aws:kinesis:record");
            e.setInvokeIdentityArn(ROLE_ARN);
            e.setAwsRegion(REGION);
            e.setEventSourceARN(STREAM_ARN);
            out.add(e);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(out);
        return event;
    }

    /** Epoch seconds with millisecond decimals, e.g. {@code 1720742302.233}. */
    static String arrivalSeconds(long epochMillis) {
        BigDecimal s = BigDecimal.valueOf(epochMillis, 3);
        return epochMillis % 1000 == 0 ? Long.toString(epochMillis / 1000) + ".0"
                : s.stripTrailingZeros().toPlainString();
    }
}
