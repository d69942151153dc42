package dev.cdcrelay.backfill;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.testing.DynamoJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotRecordsTest {

    private static final SnapshotPoint POINT = SnapshotPoint.at(Instant.parse("2026-12-02T05:00:00Z"));
    private final SnapshotRecords records = new SnapshotRecords(List.of("device", "at"), POINT);

    private static byte[] line(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anItemBecomesAnInsertOfTheWholeItemAtTheSnapshotVersion() throws Exception {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("at", new BigDecimal("17"));
        item.put("label", "ü✓");
        item.put("nested", DynamoJson.map("list", DynamoJson.list(1, "x", true), "set", DynamoJson.stringSet("a", "b")));
        item.put("device", "foo");
        ChangeRecord change = new ChangeDecoder().decode(
                records.toRecord(line("{\"Item\":" + DynamoJson.item(item) + "}"), "42"));
        assertEquals(EventName.INSERT, change.eventName());
        assertEquals(POINT.versionMicros(), change.version().micros());
        assertEquals("42", change.version().sequenceNumber());
        assertEquals(DynamoJson.expectedItem(item), change.newImage());
        assertEquals(List.of("device", "at"), List.copyOf(change.keys().keySet()), "hash key first, as the schema says");
        assertEquals(DynamoJson.expected("foo"), change.keys().get("device"));
        assertFalse(change.expiredByTtl());
    }

    @Test
    void anItemWithoutAKeyAttributeIsRejectedNamingIt() {
        InvalidSnapshotItemException e = assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("{\"Item\":{\"device\":{\"S\":\"foo\"}}}"), "1"));
        assertEquals("the item lacks key attribute 'at' (the key schema is [device, at])", e.getMessage());
    }

    @Test
    void aLineThatIsNotAnItemEnvelopeIsRejected() {
        assertEquals("expected {\"Item\": {...}} (DynamoDB JSON export format)", assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("{\"Keys\":{\"device\":{\"S\":\"foo\"}}}"), "1")).getMessage());
        assertEquals("not a JSON object; expected {\"Item\": {...}}", assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("[1]"), "1")).getMessage());
        assertEquals("only \"Item\" is expected in {\"Item\": {...}}", assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("{\"Item\":{\"device\":{\"S\":\"a\"},\"at\":{\"N\":\"1\"}},\"x\":1}"), "1")).getMessage());
    }

    @Test
    void malformedJsonIsRejectedWithoutQuotingTheInput() {
        InvalidSnapshotItemException e = assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("{\"Item\":{\"device\":{\"S\":secret-value}}}"), "1"));
        assertEquals("malformed JSON at byte 30", e.getMessage());
        assertEquals("truncated JSON (unexpected end of input)", assertThrows(InvalidSnapshotItemException.class,
                () -> records.toRecord(line("{\"Item\":{\"device\":{\"S\":\"a\""), "1")).getMessage());
    }
}
