package dev.cdcrelay.decode;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SeedRecords;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static dev.cdcrelay.testing.DynamoJson.list;
import static dev.cdcrelay.testing.DynamoJson.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared fixtures in dev.cdcrelay.testing produce exactly what AWS sends. */
class DecodeFixturesTest {

    private final ChangeDecoder decoder = new ChangeDecoder();

    @Test
    void seedModifyIsTheReferenceRecordByteForByte() {
        assertEquals(SeedRecords.MODIFY_JSON, SeedRecords.modify().toJson());
        assertTrue(SeedRecords.modify().toJson().endsWith("\"SizeBytes\":" + SeedRecords.MODIFY_SIZE_BYTES + "}}"));
        assertTrue(SeedRecords.insert().toJson().contains("\"SizeBytes\":" + SeedRecords.INSERT_SIZE_BYTES + "}"));
    }

    @Test
    void seedInsertHasTheExpectedShape() {
        assertEquals("{\"awsRegion\":\"eu-central-1\",\"eventID\":\"" + SeedRecords.INSERT_EVENT_ID + "\","
                + "\"eventName\":\"INSERT\",\"userIdentity\":null,\"recordFormat\":\"application/json\","
                + "\"tableName\":\"demo-source\",\"eventSource\":\"aws:dynamodb\","
                + "\"dynamodb\":{\"ApproximateCreationDateTime\":1720742301233719,"
                + "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"Keys\":{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"}},"
                + "\"NewImage\":{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
                + "\"temperature\":{\"N\":\"42.42\"},\"humidity\":{\"N\":\"84.84\"}},\"SizeBytes\":99}}",
                SeedRecords.insert().toJson());
    }

    @Test
    void changeJsonShapes() throws Exception {
        String remove = ChangeJson.remove().key("id", 1).old("x", "y").ttl().eventId("e").toJson();
        assertTrue(remove.contains("\"eventName\":\"REMOVE\",\"userIdentity\":" + ChangeJson.TTL_IDENTITY + ","), remove);
        assertTrue(remove.contains("\"OldImage\":{\"id\":{\"N\":\"1\"},\"x\":{\"S\":\"y\"}}"), remove);
        assertFalse(remove.contains("NewImage"), remove);
        String insert = ChangeJson.insert().key("id", 1).millis(5).toJson();
        assertTrue(insert.contains("\"ApproximateCreationDateTime\":5,\"ApproximateCreationDateTimePrecision\":\"MILLISECOND\""));
        assertFalse(insert.contains("OldImage"));
        assertFalse(ChangeJson.insert().key("id", 1).time(5, null).toJson().contains("Precision"));
        assertEquals(1720742302233719L, ChangeJson.insert().at(Instant.parse("2024-07-11T23:58:22.233719Z"))
                .expectedMicros());
        String extra = ChangeJson.insert().key("id", 1).extraField("eventVersion", "\"1.1\"")
                .extraDynamodbField("StreamViewType", "\"NEW_IMAGE\"").toJson();
        assertTrue(extra.endsWith(",\"StreamViewType\":\"NEW_IMAGE\"},\"eventVersion\":\"1.1\"}"), extra);
        // Deterministic event ids: same content, same id; different content, different id.
        assertEquals(ChangeJson.insert().key("id", 1).eventId(), ChangeJson.insert().key("id", 1).eventId());
        assertNotEquals(ChangeJson.insert().key("id", 1).eventId(), ChangeJson.insert().key("id", 2).eventId());
        // The decoder reads back what the builder wrote.
        ChangeJson c = ChangeJson.modify().key("id", "a").set("v", map("l", list(1, "x"))).old("v", 0).micros(99);
        ChangeRecord r = decoder.decode(new KinesisRecords().next(c));
        assertEquals(c.expectedKeys(), r.keys());
        assertEquals(c.expectedNewImage(), r.newImage());
        assertEquals(c.eventId(), r.eventId());
        assertEquals(99, r.version().micros());
    }

    @Test
    void javaValuesMapToDynamoTypes() {
        assertEquals("{\"S\":\"a\\\"b\\\\c\\n\\u0001é\"}", DynamoJson.value("a\"b\\c\n\u0001é"));
        assertEquals("{\"N\":\"42\"}", DynamoJson.value(42));
        assertEquals("{\"N\":\"42\"}", DynamoJson.value(42L));
        assertEquals("{\"N\":\"1.5\"}", DynamoJson.value(new BigDecimal("1.50")));
        assertEquals("{\"N\":\"100\"}", DynamoJson.value(new BigDecimal("1E+2")));
        assertEquals("{\"N\":\"0\"}", DynamoJson.value(new BigDecimal("0.000")));
        assertEquals("{\"N\":\"42.42\"}", DynamoJson.value(42.42));
        assertEquals("{\"N\":\"1\"}", DynamoJson.value(1.0));
        assertEquals("{\"N\":\"123456789012345678901234567890\"}",
                DynamoJson.value(new BigInteger("123456789012345678901234567890")));
        assertEquals("{\"N\":\"1.50\"}", DynamoJson.value(DynamoJson.n("1.50")));
        assertEquals("{\"BOOL\":true}", DynamoJson.value(true));
        assertEquals("{\"NULL\":true}", DynamoJson.value(null));
        assertEquals("{\"B\":\"AQID\"}", DynamoJson.value(new byte[]{1, 2, 3}));
        assertEquals("{\"M\":{\"b\":{\"N\":\"1\"},\"a\":{\"NULL\":true}}}", DynamoJson.value(map("b", 1, "a", null)));
        assertEquals("{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"}]}", DynamoJson.value(List.of("x", 2)));
        assertEquals("{\"SS\":[\"b\",\"a\"]}", DynamoJson.value(DynamoJson.orderedSet("b", "a")));
        assertEquals("{\"NS\":[\"2\",\"1.5\"]}", DynamoJson.value(DynamoJson.orderedSet(2, 1.5)));
        assertEquals("{\"BS\":[\"AA==\"]}", DynamoJson.value(DynamoJson.binarySet(new byte[]{0})));
        assertEquals("{\"SS\":[]}", DynamoJson.value(DynamoJson.stringSet()));
        assertEquals("{\"N\":\"1e400\"}", DynamoJson.value(DynamoJson.typed("{\"N\":\"1e400\"}")));
        assertEquals("{\"M\":{\"x\":{\"N\":\"1.50\"}}}", DynamoJson.value(new DynamoValue.MapValue(
                java.util.Map.of("x", new DynamoValue.Num(new BigDecimal("1.50"))))));
        assertThrows(IllegalArgumentException.class, () -> DynamoJson.value(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DynamoJson.value(java.util.Set.of()));
        assertThrows(IllegalArgumentException.class, () -> DynamoJson.value(new Object()));
    }

    @Test
    void sequenceNumbersLookLikeKinesisOnesAndIncrease() {
        KinesisRecords shard = new KinesisRecords();
        String previous = null;
        for (int i = 0; i < 20; i++) {
            IncomingRecord r = shard.next(ChangeJson.insert().key("id", i));
            String seq = r.sequenceNumber();
            assertEquals(56, seq.length());
            assertTrue(seq.chars().allMatch(ch -> ch >= '0' && ch <= '9'));
            if (previous != null) {
                assertTrue(seq.compareTo(previous) > 0);
                assertTrue(new BigInteger(seq).compareTo(new BigInteger(previous)) > 0);
            }
            previous = seq;
        }
        assertEquals(KinesisRecords.sequenceNumber(5), new KinesisRecords(5).next(new byte[]{1}).sequenceNumber());
        assertEquals(KinesisRecords.sequenceNumber(1), SeedRecords.records().get(0).sequenceNumber());
        assertEquals(KinesisRecords.sequenceNumber(2), SeedRecords.records().get(1).sequenceNumber());
    }

    @Test
    void partitionKeysFollowTheItemKey() {
        String a = ChangeJson.insert().key("id", 1).partitionKey();
        assertEquals(a, ChangeJson.modify().key("id", 1).set("x", 2).partitionKey());
        assertNotEquals(a, ChangeJson.insert().key("id", 2).partitionKey());
        assertTrue(a.matches("[0-9A-F]{32}"), a);
    }

    @Test
    void lambdaEventIsExactlyWhatLambdaSends() {
        IncomingRecord r = new IncomingRecord(KinesisRecords.sequenceNumber(3), "PK", "{}".getBytes(StandardCharsets.UTF_8),
                1720742302233L);
        assertEquals("{\"Records\":[{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"PK\","
                + "\"sequenceNumber\":\"" + r.sequenceNumber() + "\",\"data\":\"e30=\","
                + "\"approximateArrivalTimestamp\":1720742302.233},\"eventSource\":\"aws:kinesis\","
                + "\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000000:" + r.sequenceNumber() + "\","
                + "\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/x\","
                + "\"awsRegion\":\"eu-central-1\",\"eventSourceARN\":\"arn:aws:kinesis:eu-central-1:123456789012:stream/x\"}]}",
                KinesisRecords.lambdaEventJson(List.of(r)));
        assertEquals("{\"Records\":[]}", KinesisRecords.lambdaEventJson(List.of()));
    }

    @Test
    void lambdaEventDeserialisesLikeTheRuntimeDoesAndCarriesTheRecords() throws Exception {
        List<IncomingRecord> records = SeedRecords.records();
        PojoSerializer<KinesisEvent> serializer =
                LambdaEventSerializers.serializerFor(KinesisEvent.class, getClass().getClassLoader());
        KinesisEvent event = serializer.fromJson(SeedRecords.lambdaEventJson());
        assertEquals(2, event.getRecords().size());
        for (int i = 0; i < records.size(); i++) {
            IncomingRecord expected = records.get(i);
            KinesisEvent.KinesisEventRecord e = event.getRecords().get(i);
            assertEquals("aws:kinesis", e.getEventSource());
            assertEquals("shardId-000000000000:" + expected.sequenceNumber(), e.getEventID());
            assertEquals(expected.sequenceNumber(), e.getKinesis().getSequenceNumber());
            assertEquals(expected.partitionKey(), e.getKinesis().getPartitionKey());
            assertEquals(expected.arrivalEpochMillis(), e.getKinesis().getApproximateArrivalTimestamp().getTime());
            ByteBuffer data = e.getKinesis().getData();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            assertArrayEquals(expected.data(), bytes);
            ChangeRecord decoded = decoder.decode(new IncomingRecord(e.getKinesis().getSequenceNumber(),
                    e.getKinesis().getPartitionKey(), bytes, 0));
            assertEquals(i == 0 ? EventName.INSERT : EventName.MODIFY, decoded.eventName());
        }
        assertArrayEquals(SeedRecords.MODIFY_JSON.getBytes(StandardCharsets.UTF_8), records.get(1).data());
    }

    @Test
    void kinesisEventPojoCarriesTheSameRecords() {
        List<IncomingRecord> records = SeedRecords.records();
        KinesisEvent event = KinesisRecords.kinesisEvent(records);
        assertEquals(2, event.getRecords().size());
        KinesisEvent.KinesisEventRecord e = event.getRecords().get(1);
        assertEquals(records.get(1).sequenceNumber(), e.getKinesis().getSequenceNumber());
        assertEquals(SeedRecords.MODIFY_JSON, StandardCharsets.UTF_8.decode(e.getKinesis().getData()).toString());
        assertEquals("aws:kinesis:record", e.getEventName());
        assertEquals(KinesisRecords.STREAM_ARN, e.getEventSourceARN());
        assertArrayEquals(Base64.getDecoder().decode(Base64.getEncoder().encode(records.get(0).data())),
                records.get(0).data());
    }
}
