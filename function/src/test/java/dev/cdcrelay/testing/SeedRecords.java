package dev.cdcrelay.testing;

import dev.cdcrelay.kinesis.IncomingRecord;

import java.math.BigDecimal;
import java.util.List;

/**
 * The seed walkthrough of REFERENCE.md section 1: table {@code demo-source}, item
 * {device "foo", timestamp "2024-07-12T01:17:42"}; first an INSERT with temperature 42.42 and
 * humidity 84.84, then a MODIFY to temperature 43.59 (that MODIFY is the REFERENCE's record,
 * byte for byte: {@link #MODIFY_JSON}).
 *
 * <pre>{@code
 * List<IncomingRecord> batch = SeedRecords.records();          // INSERT then MODIFY, seq index 1, 2
 * String event = SeedRecords.lambdaEventJson();                // the same as a Lambda event
 * }</pre>
 */
public final class SeedRecords {

    public static final String TABLE = "demo-source";
    public static final String REGION = "eu-central-1";
    public static final String DEVICE = "foo";
    public static final String TIMESTAMP = "2024-07-12T01:17:42";
    public static final BigDecimal TEMPERATURE_BEFORE = new BigDecimal("42.42");
    public static final BigDecimal TEMPERATURE_AFTER = new BigDecimal("43.59");
    public static final BigDecimal HUMIDITY = new BigDecimal("84.84");

    /** The INSERT happened one second before the MODIFY. */
    public static final long INSERT_MICROS = 1720742301233719L;
    public static final long MODIFY_MICROS = 1720742302233719L;
    public static final String INSERT_EVENT_ID = "4a1c6f0e-5b2d-4c1e-9f3a-7d8e2b6c0a51";
    public static final String MODIFY_EVENT_ID = "b015b5f0-c095-4b50-8ad0-4279aa3d88c6";
    public static final long INSERT_SIZE_BYTES = 99;
    public static final long MODIFY_SIZE_BYTES = 161;

    /** The REFERENCE's record (section 1), compact, exactly as Kinesis carries it. */
    public static final String MODIFY_JSON = "{\"awsRegion\":\"eu-central-1\","
            + "\"eventID\":\"b015b5f0-c095-4b50-8ad0-4279aa3d88c6\","
            + "\"eventName\":\"MODIFY\",\"userIdentity\":null,\"recordFormat\":\"application/json\","
            + "\"tableName\":\"demo-source\",\"eventSource\":\"aws:dynamodb\","
            + "\"dynamodb\":{\"ApproximateCreationDateTime\":1720742302233719,"
            + "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
            + "\"Keys\":{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"}},"
            + "\"NewImage\":{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
            + "\"temperature\":{\"N\":\"43.59\"},\"humidity\":{\"N\":\"84.84\"}},"
            + "\"OldImage\":{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
            + "\"temperature\":{\"N\":\"42.42\"},\"humidity\":{\"N\":\"84.84\"}},"
            + "\"SizeBytes\":161}}";

    private SeedRecords() {
    }

    /** The INSERT (temperature 42.42, humidity 84.84). */
    public static ChangeJson insert() {
        return ChangeJson.insert()
                .eventId(INSERT_EVENT_ID)
                .key("device", DEVICE).key("timestamp", TIMESTAMP)
                .set("temperature", TEMPERATURE_BEFORE).set("humidity", HUMIDITY)
                .micros(INSERT_MICROS);
    }

    /** The MODIFY (temperature 42.42 to 43.59); its JSON equals {@link #MODIFY_JSON}. */
    public static ChangeJson modify() {
        return ChangeJson.modify()
                .eventId(MODIFY_EVENT_ID)
                .key("device", DEVICE).key("timestamp", TIMESTAMP)
                .set("temperature", TEMPERATURE_AFTER).set("humidity", HUMIDITY)
                .old("temperature", TEMPERATURE_BEFORE).old("humidity", HUMIDITY)
                .micros(MODIFY_MICROS);
    }

    /** INSERT then MODIFY, on one shard, sequence indexes 1 and 2. */
    public static List<IncomingRecord> records() {
        return new KinesisRecords().all(insert(), modify());
    }

    /** The MODIFY alone, with sequence index 1. */
    public static IncomingRecord modifyRecord() {
        return new KinesisRecords().next(modify());
    }

    /** {@link #records()} as the Lambda event document. */
    public static String lambdaEventJson() {
        return KinesisRecords.lambdaEventJson(records());
    }
}
