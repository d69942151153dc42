package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.kinesis.IncomingRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real DynamoDB Local stream records, wrapped, decoded by the function's own decoder. */
class KinesisRecordWrapperTest {

    private static final String BIG = "12345678901234567890123456789012345678"; // 38 significant digits

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    @Test
    void insertModifyRemoveAndTtlInsertDecodeToTheExpectedChanges() throws Exception {
        DynamoDbClient ddb = LocalDynamo.ddb();
        TableDescription table = LocalDynamo.freshTable("wrap");
        String name = table.tableName();

        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("device", s("foo"));
        item.put("timestamp", s("2024-07-12T01:17:42"));
        item.put("temperature", n("42.42"));
        item.put("big", n(BIG));
        item.put("ns", AttributeValue.fromNs(List.of("3", "1.5", "-2")));
        item.put("ss", AttributeValue.fromSs(List.of("b", "a")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, 2}),
                SdkBytes.fromByteArray(new byte[] {(byte) 0xff}))));
        item.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, 3})));
        item.put("flag", AttributeValue.fromBool(true));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("nested", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("n", n("7"))),
                "list", AttributeValue.fromL(List.of(s("x"), n("1"), AttributeValue.fromBool(false))))));
        item.put("list", AttributeValue.fromL(List.of(n("1"), s("two"), AttributeValue.fromL(List.of()))));
        item.put("emptyMap", AttributeValue.fromM(Map.of())); // DynamoDB Local's stream drops its type
        ddb.putItem(b -> b.tableName(name).item(item));
        ddb.updateItem(b -> b.tableName(name).key(Map.of("device", s("foo"), "timestamp", s("2024-07-12T01:17:42")))
                .updateExpression("SET temperature = :t REMOVE nothing")
                .expressionAttributeValues(Map.of(":t", n("43.59"))));
        ddb.deleteItem(b -> b.tableName(name).key(Map.of("device", s("foo"), "timestamp", s("2024-07-12T01:17:42"))));

        // TTL: an item whose expiry is long past; DynamoDB Local deletes it with the service identity.
        ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        ddb.putItem(b -> b.tableName(name).item(Map.of("device", s("ttl"), "timestamp", s("t0"), "expires", n("1000"))));

        KinesisRecordWrapper wrapper = new KinesisRecordWrapper("eu-central-1", name, table.latestStreamArn());
        StreamReader reader = new StreamReader(LocalDynamo.streams(), table.latestStreamArn(), wrapper);
        // The TTL delete itself comes later, if at all: aTtlDeleteCarriesTheServiceIdentity.
        List<KinesisRecordWrapper.Wrapped> wrapped = new ArrayList<>(LocalDynamo.drain(reader, 4));

        ChangeDecoder decoder = new ChangeDecoder();
        List<ChangeRecord> changes = new ArrayList<>();
        for (KinesisRecordWrapper.Wrapped w : wrapped) {
            changes.add(decoder.decode(new IncomingRecord(w.sequenceNumber(), w.partitionKey(), w.data(), w.arrivalMillis())));
        }
        assertTrue(changes.size() >= 4, "records: " + changes.size());

        Map<String, DynamoValue> keys = Map.of("device", new DynamoValue.Str("foo"),
                "timestamp", new DynamoValue.Str("2024-07-12T01:17:42"));
        Map<String, DynamoValue> inserted = new LinkedHashMap<>(keys);
        inserted.put("temperature", num("42.42"));
        inserted.put("big", num(BIG));
        inserted.put("ns", new DynamoValue.NumSet(List.of(new BigDecimal("-2"), new BigDecimal("1.5"), new BigDecimal("3"))));
        inserted.put("ss", new DynamoValue.StrSet(List.of("a", "b")));
        inserted.put("bs", new DynamoValue.BinSet(List.of("AQI=", "/w==")));
        inserted.put("bin", new DynamoValue.Bin("AAECAw=="));
        inserted.put("flag", DynamoValue.Bool.TRUE);
        inserted.put("nothing", DynamoValue.Null.INSTANCE);
        inserted.put("nested", new DynamoValue.MapValue(Map.of(
                "inner", new DynamoValue.MapValue(Map.of("n", num("7"))),
                "list", new DynamoValue.ListValue(List.of(new DynamoValue.Str("x"), num("1"), DynamoValue.Bool.FALSE)))));
        inserted.put("list", new DynamoValue.ListValue(List.of(num("1"), new DynamoValue.Str("two"),
                new DynamoValue.ListValue(List.of()))));
        inserted.put("emptyMap", new DynamoValue.MapValue(Map.of()));
        Map<String, DynamoValue> modified = new LinkedHashMap<>(inserted);
        modified.put("temperature", num("43.59"));
        modified.remove("nothing");

        ChangeRecord insert = changes.get(0);
        assertEquals(EventName.INSERT, insert.eventName());
        assertEquals(keys, insert.keys());
        assertEquals(normalised(inserted), normalised(insert.newImage()));
        assertEquals(name, insert.tableName());
        assertFalse(insert.expiredByTtl());

        ChangeRecord modify = changes.get(1);
        assertEquals(EventName.MODIFY, modify.eventName());
        assertEquals(normalised(modified), normalised(modify.newImage()));

        ChangeRecord remove = changes.get(2);
        assertEquals(EventName.REMOVE, remove.eventName());
        assertEquals(keys, remove.keys());
        assertNull(remove.newImage());
        assertFalse(remove.expiredByTtl());

        // Sequence numbers: Kinesis-like 56 digits; versions strictly increasing in stream order.
        for (int i = 0; i < changes.size(); i++) {
            assertEquals(56, changes.get(i).sequenceNumber().length());
            assertEquals(wrapped.get(i).sequenceNumber(), changes.get(i).sequenceNumber());
            if (i > 0) {
                assertTrue(changes.get(i).version().isNewerThan(changes.get(i - 1).version()));
                assertTrue(changes.get(i).version().micros() > changes.get(i - 1).version().micros());
            }
        }
        assertEquals(wrapped.get(0).partitionKey(), wrapped.get(2).partitionKey());
        assertTrue(wrapped.get(0).partitionKey().matches("[0-9A-F]{32}"));

        // The envelope, field by field, in AWS's order.
        JsonNode json = new ObjectMapper().readTree(wrapped.get(1).data());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("awsRegion", "eventID", "eventName", "userIdentity", "recordFormat", "tableName",
                "eventSource", "dynamodb"), fields);
        assertEquals("application/json", json.get("recordFormat").asText());
        assertEquals("aws:dynamodb", json.get("eventSource").asText());
        assertTrue(json.get("userIdentity").isNull());
        List<String> dynamodb = new ArrayList<>();
        json.get("dynamodb").fieldNames().forEachRemaining(dynamodb::add);
        assertEquals(List.of("ApproximateCreationDateTime", "ApproximateCreationDateTimePrecision", "Keys",
                "NewImage", "OldImage", "SizeBytes"), dynamodb);
        assertEquals("MICROSECOND", json.get("dynamodb").get("ApproximateCreationDateTimePrecision").asText());
        long micros = json.get("dynamodb").get("ApproximateCreationDateTime").asLong();
        assertTrue(Math.abs(micros / 1_000_000 - System.currentTimeMillis() / 1000) < 3600, "micros: " + micros);
        assertEquals(BIG, json.get("dynamodb").get("NewImage").get("big").get("N").asText());

        assertEquals(EventName.INSERT, changes.get(3).eventName(), "the TTL item's insert");
    }

    /**
     * On its own, so that the summary counts it as skipped (with the reason) when DynamoDB Local's
     * TTL sweep, which can take minutes, has not run within the wait.
     */
    @Test
    void aTtlDeleteCarriesTheServiceIdentity() throws Exception {
        DynamoDbClient ddb = LocalDynamo.ddb();
        TableDescription table = LocalDynamo.freshTable("ttl");
        String name = table.tableName();
        ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        ddb.putItem(b -> b.tableName(name).item(Map.of("device", s("ttl"), "timestamp", s("t0"), "expires", n("1000"))));
        KinesisRecordWrapper wrapper = new KinesisRecordWrapper("eu-central-1", name, table.latestStreamArn());
        StreamReader reader = new StreamReader(LocalDynamo.streams(), table.latestStreamArn(), wrapper);
        List<KinesisRecordWrapper.Wrapped> wrapped = new ArrayList<>(LocalDynamo.drain(reader, 1));
        long end = System.currentTimeMillis() + 3_000;
        while (wrapped.size() < 2 && System.currentTimeMillis() < end) { // the TTL delete comes later
            wrapped.addAll(reader.poll());
            Thread.sleep(200);
        }
        if (wrapped.size() < 2) {
            org.junit.jupiter.api.Assumptions.abort("DynamoDB Local did not expire the TTL item within 3 s"
                    + " (its TTL sweep can take minutes): TTL delete not checked");
        }
        KinesisRecordWrapper.Wrapped delete = wrapped.get(1);
        ChangeRecord ttlDelete = new ChangeDecoder().decode(
                new IncomingRecord(delete.sequenceNumber(), delete.partitionKey(), delete.data(), delete.arrivalMillis()));
        assertEquals(EventName.REMOVE, ttlDelete.eventName());
        assertTrue(ttlDelete.expiredByTtl(), "TTL delete carries the service identity");
        JsonNode ttlJson = new ObjectMapper().readTree(delete.data());
        assertEquals("Service", ttlJson.get("userIdentity").get("type").asText());
        assertEquals("dynamodb.amazonaws.com", ttlJson.get("userIdentity").get("principalId").asText());
    }

    private static DynamoValue.Num num(String text) {
        return new DynamoValue.Num(new BigDecimal(text));
    }

    /** Order-insensitive for maps, sets compared sorted; numbers compared by value. */
    private static Object normalised(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, x) -> out.put((String) k, normalised(x)));
            return out;
        }
        if (v instanceof DynamoValue.MapValue m) {
            return List.of("M", normalised(m.entries()));
        }
        if (v instanceof DynamoValue.ListValue l) {
            List<Object> out = new ArrayList<>();
            for (Iterator<DynamoValue> it = l.elements().iterator(); it.hasNext(); ) {
                out.add(normalised(it.next()));
            }
            return List.of("L", out);
        }
        if (v instanceof DynamoValue.Num n) {
            return List.of("N", n.value().stripTrailingZeros().toPlainString());
        }
        if (v instanceof DynamoValue.NumSet ns) {
            return List.of("NS", ns.values().stream().map(b -> b.stripTrailingZeros().toPlainString()).sorted().toList());
        }
        if (v instanceof DynamoValue.StrSet ss) {
            return List.of("SS", ss.values().stream().sorted().toList());
        }
        if (v instanceof DynamoValue.BinSet bs) {
            return List.of("BS", bs.values().stream().sorted().toList());
        }
        return v;
    }
}
