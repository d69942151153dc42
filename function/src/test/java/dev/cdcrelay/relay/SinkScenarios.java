package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's semantics, end to end from change-record JSON to rows, against a real database.
 * Subclasses pick the database; every scenario runs on each.
 */
abstract class SinkScenarios {

    private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000L);
    static final long T0 = 1_720_742_302_233_719L;

    /** The sink's JDBC URL. */
    abstract String url();

    String table;
    final List<Relay> relays = new ArrayList<>();
    final List<String> logs = new ArrayList<>();

    @BeforeEach
    void freshTable() {
        table = TestSinks.freshTable("sink");
    }

    final List<String> tablesCreated = new ArrayList<>();

    @AfterEach
    void closeRelaysAndDropTables() throws Exception {
        relays.forEach(Relay::close);
        // A CrateDB cluster holds at most 1,000 shards: leave nothing behind.
        for (String t : tablesCreated) {
            TestSinks.dropTables(url(), t);
        }
    }

    Relay relay(Map<String, String> extra) {
        tablesCreated.add(table);
        Map<String, String> env = new HashMap<>(TestSinks.env(url(), table));
        env.putAll(extra);
        Relay r = Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add);
        relays.add(r);
        return r;
    }

    Relay relay() {
        return relay(Map.of());
    }

    /** A Kinesis record carrying the change, with a fresh increasing 56-digit sequence number. */
    static IncomingRecord record(ChangeJson change) {
        String seq = String.format("4954511524344703572546%034d", SEQUENCE.incrementAndGet());
        return new IncomingRecord(seq, change.partitionKey(), change.toBytes(), 0);
    }

    static BatchResult apply(Relay relay, IncomingRecord... records) {
        return relay.apply(List.of(records), Deadline.inMillis(60_000));
    }

    static BatchResult apply(Relay relay, ChangeJson... changes) {
        List<IncomingRecord> records = new ArrayList<>();
        for (ChangeJson c : changes) {
            records.add(record(c));
        }
        return relay.apply(records, Deadline.inMillis(60_000));
    }

    static ChangeJson reading(String device, long micros) {
        return ChangeJson.insert().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("device", device).set("timestamp", "2024-07-12T01:17:42").micros(micros);
    }

    /** The rows of the sink table, by the pk's JSON text. */
    Map<String, SinkRow> rows() throws Exception {
        Map<String, SinkRow> rows = new TreeMap<>();
        for (SinkRow row : SinkRow.readAll(url(), table, isCrateDb())) {
            rows.put(row.pk().toString(), row);
        }
        return rows;
    }

    boolean isCrateDb() {
        return relays.isEmpty() ? url().startsWith("jdbc:crate") : relays.get(0).writer().dialect()
                .map(d -> d.name().equals("cratedb")).orElse(url().startsWith("jdbc:crate"));
    }

    SinkRow only(Map<String, SinkRow> rows) {
        assertEquals(1, rows.size(), "rows: " + rows.keySet());
        return rows.values().iterator().next();
    }

    static void assertHandled(BatchResult r) {
        assertTrue(r.fullyHandled(), "batch not fully handled: " + r.summary());
        assertEquals(0, r.failed(), r.summary());
    }

    // ---- scenarios ---------------------------------------------------------------------------

    @Test
    void seedWalkthroughLeavesOneRowWithTheUpdatedTemperature() throws Exception {
        Relay relay = relay();
        ChangeJson insert = reading("foo", T0).set("temperature", new BigDecimal("42.42")).set("humidity", new BigDecimal("84.84"));
        assertHandled(apply(relay, insert));
        ChangeJson update = ChangeJson.modify().key("device", "foo").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "foo").set("timestamp", "2024-07-12T01:17:42")
                .set("temperature", new BigDecimal("43.59")).set("humidity", new BigDecimal("84.84")).micros(T0 + 5_000_000);
        assertHandled(apply(relay, update));

        SinkRow row = only(rows());
        assertEquals("foo", row.pk().get("device").asText());
        assertEquals("2024-07-12T01:17:42", row.pk().get("timestamp").asText());
        assertEquals(0, new BigDecimal("43.59").compareTo(row.exactNumber("temperature")), row.toString());
        assertEquals(0, new BigDecimal("84.84").compareTo(row.exactNumber("humidity")));
    }

    @Test
    void everyDynamoDbTypeIsStored() throws Exception {
        Relay relay = relay();
        ChangeJson all = reading("types", T0).newImageJson("{"
                + "\"device\":{\"S\":\"types\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
                + "\"s\":{\"S\":\"text ü ✓\"},\"n\":{\"N\":\"-12.5\"},\"b\":{\"B\":\"AAEC/w==\"},"
                + "\"bool\":{\"BOOL\":true},\"nothing\":{\"NULL\":true},"
                + "\"m\":{\"M\":{\"inner\":{\"S\":\"x\"},\"deeper\":{\"M\":{\"k\":{\"N\":\"7\"}}}}},"
                + "\"l\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]},"
                + "\"ss\":{\"SS\":[\"x\",\"y\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"AQ==\",\"Ag==\"]}}");
        assertHandled(apply(relay, all));
        SinkRow row = only(rows());
        assertEquals("text ü ✓", row.attribute("s").asText());
        assertEquals(0, new BigDecimal("-12.5").compareTo(row.exactNumber("n")));
        assertEquals("AAEC/w==", row.attribute("b").asText());
        assertTrue(row.attribute("bool").asBoolean());
        assertTrue(row.data().path("nothing").isNull() || row.data().path("nothing").isMissingNode(),
                "NULL is stored as null (or, on CrateDB, as an absent key): " + row.data());
        assertEquals("x", row.attribute("m").get("inner").asText());
        assertEquals(0, new BigDecimal("7").compareTo(row.attribute("m").get("deeper").get("k").decimalValue()));
        assertEquals("[\"a\",\"b\"]", row.attribute("l").toString());
        assertEquals("[\"x\",\"y\"]", row.attribute("ss").toString());
        assertEquals(0, new BigDecimal("2.5").compareTo(row.attribute("ns").get(1).decimalValue()));
        assertEquals("[\"AQ==\",\"Ag==\"]", row.attribute("bs").toString());
    }

    @Test
    void mapsNested32DeepAreStoredWhole() throws Exception {
        Relay relay = relay();
        StringBuilder m = new StringBuilder("{\"leaf\":{\"S\":\"bottom\"}}");
        for (int i = 0; i < 31; i++) {
            m.insert(0, "{\"l" + i + "\":{\"M\":").append("}}");
        }
        ChangeJson deep = reading("deep", T0).newImageJson("{\"device\":{\"S\":\"deep\"},"
                + "\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},\"tree\":{\"M\":" + m + "}}");
        assertHandled(apply(relay, deep));
        JsonNode node = only(rows()).attribute("tree");
        for (int i = 30; i >= 0; i--) {
            node = node.get("l" + i);
        }
        assertEquals("bottom", node.get("leaf").asText());
    }

    @Test
    void mixedListsAndTypeDriftBetweenItemsAreKeptWhole() throws Exception {
        Relay relay = relay();
        ChangeJson first = reading("a", T0).set("v", "text").newImageJson("{\"device\":{\"S\":\"a\"},"
                + "\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},\"v\":{\"S\":\"text\"},"
                + "\"mixed\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"},{\"BOOL\":false},{\"N\":\"1234567890123456789012345\"}]}}");
        assertHandled(apply(relay, first));
        ChangeJson drift = reading("b", T0).newImageJson("{\"device\":{\"S\":\"b\"},"
                + "\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},\"v\":{\"M\":{\"nested\":{\"N\":\"2\"}}}}");
        ChangeJson drift2 = reading("c", T0).newImageJson("{\"device\":{\"S\":\"c\"},"
                + "\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},\"v\":{\"N\":\"3.25\"}}");
        assertHandled(apply(relay, drift, drift2));

        Map<String, SinkRow> rows = rows();
        assertEquals(3, rows.size());
        SinkRow a = byDevice(rows, "a");
        SinkRow b = byDevice(rows, "b");
        SinkRow c = byDevice(rows, "c");
        assertEquals("text", a.attribute("v").asText());
        JsonNode mixed = a.attribute("mixed");
        assertEquals(4, mixed.size(), mixed.toString());
        assertEquals(0, BigDecimal.ONE.compareTo(mixed.get(0).decimalValue()));
        assertEquals("x", mixed.get(1).asText());
        assertFalse(mixed.get(2).asBoolean());
        assertEquals("1234567890123456789012345", mixed.get(3).asText(), "beyond BIGINT, still exact");
        assertEquals(0, new BigDecimal("2").compareTo(b.attribute("v").get("nested").decimalValue()));
        assertTrue(c.attribute("v").isNumber(), "a number stays a number, even where the column is text: " + c);
        assertEquals(0, new BigDecimal("3.25").compareTo(c.exactNumber("v")));
    }

    static SinkRow byDevice(Map<String, SinkRow> rows, String device) {
        return rows.values().stream().filter(r -> r.pk().get("device").asText().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + device + " in " + rows.keySet()));
    }

    @Test
    void aNumberIsNeverTruncatedBecauseTheFirstValueWasIntegral() throws Exception {
        Relay relay = relay();
        assertHandled(apply(relay, reading("one", T0).set("n", 1)));
        assertHandled(apply(relay, reading("half", T0).set("n", new BigDecimal("1.5"))));
        ChangeJson sameItemLater = ChangeJson.modify().key("device", "one").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "one").set("timestamp", "2024-07-12T01:17:42").set("n", new BigDecimal("2.5"))
                .micros(T0 + 1);
        assertHandled(apply(relay, sameItemLater));
        Map<String, SinkRow> rows = rows();
        assertEquals(0, new BigDecimal("2.5").compareTo(byDevice(rows, "one").exactNumber("n")));
        assertEquals(0, new BigDecimal("1.5").compareTo(byDevice(rows, "half").exactNumber("n")));
    }

    @Test
    void a38DigitNumberIsKeptExactly() throws Exception {
        Relay relay = relay();
        String big = "12345678901234567890123456789012345678";
        BatchResult r = apply(relay, reading("big", T0).set("n", new BigDecimal(big))
                .set("small", new BigDecimal("1E-130")));
        assertHandled(r);
        SinkRow row = only(rows());
        assertEquals(0, new BigDecimal(big).compareTo(row.exactNumber("n")), row.toString());
        assertEquals(0, new BigDecimal("1E-130").compareTo(row.exactNumber("small")), row.toString());
        if (isCrateDb()) {
            assertEquals(1, r.writer().inexactNumbers, "a 38-digit number in a double is counted as inexact");
        }
    }

    @Test
    void duplicatesInAndAcrossBatchesLeaveOneCorrectRow() throws Exception {
        Relay relay = relay();
        IncomingRecord insert = record(reading("dup", T0).set("t", 1));
        IncomingRecord modify = record(ChangeJson.modify().key("device", "dup").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "dup").set("timestamp", "2024-07-12T01:17:42").set("t", 2).micros(T0 + 10));
        assertHandled(apply(relay, insert, modify, insert, modify));
        assertHandled(apply(relay, modify, insert));
        SinkRow row = only(rows());
        assertEquals(0, BigDecimal.valueOf(2).compareTo(row.exactNumber("t")));
    }

    @Test
    void anOlderChangeArrivingLaterNeverWinsAndModifyCreatesMissingRows() throws Exception {
        Relay relay = relay();
        ChangeJson newer = ChangeJson.modify().key("device", "ooo").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "ooo").set("timestamp", "2024-07-12T01:17:42").set("t", 2).micros(T0 + 2_000);
        assertHandled(apply(relay, newer)); // MODIFY for a row that is not there yet creates it
        assertHandled(apply(relay, reading("ooo", T0).set("t", 1).set("gone", "x")));
        SinkRow row = only(rows());
        assertEquals(0, BigDecimal.valueOf(2).compareTo(row.exactNumber("t")));
        assertFalse(row.data().has("gone"));
    }

    @Test
    void anAttributeRemovedByModifyDisappears() throws Exception {
        Relay relay = relay();
        assertHandled(apply(relay, reading("rm", T0).set("keep", "k").set("drop", "d")));
        assertHandled(apply(relay, ChangeJson.modify().key("device", "rm").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "rm").set("timestamp", "2024-07-12T01:17:42").set("keep", "k2").micros(T0 + 1)));
        SinkRow row = only(rows());
        assertEquals("k2", row.attribute("keep").asText());
        assertFalse(row.data().has("drop"), row.data().toString());
    }

    @Test
    void removeThenALateOlderInsertLeavesNoRow() throws Exception {
        Relay relay = relay();
        assertHandled(apply(relay, reading("del", T0).set("t", 1)));
        ChangeJson remove = ChangeJson.remove().key("device", "del").key("timestamp", "2024-07-12T01:17:42")
                .micros(T0 + 3_000);
        assertHandled(apply(relay, remove));
        assertTrue(rows().isEmpty());
        // A late, older change of the deleted item: must not resurrect it.
        assertHandled(apply(relay, ChangeJson.modify().key("device", "del").key("timestamp", "2024-07-12T01:17:42")
                .set("device", "del").set("timestamp", "2024-07-12T01:17:42").set("t", 2).micros(T0 + 2_000)));
        assertTrue(rows().isEmpty(), "resurrected by an older change");
        // A genuinely newer insert brings it back.
        assertHandled(apply(relay, reading("del", T0 + 4_000).set("t", 4)));
        assertEquals(0, BigDecimal.valueOf(4).compareTo(only(rows()).exactNumber("t")));
    }

    @Test
    void keysWithQuotesBackslashesAndUnicodeAreDeletedAndStayDeleted() throws Exception {
        Relay relay = relay();
        String device = "it's a \\ \"quoted\" ключ ✓";
        assertHandled(apply(relay, reading(device, T0).set("t", 1), reading("other", T0).set("t", 1)));
        assertHandled(apply(relay, ChangeJson.remove().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .micros(T0 + 3_000)));
        assertHandled(apply(relay, reading(device, T0 + 1_000).set("t", 2)));
        Map<String, SinkRow> rows = rows();
        assertEquals(1, rows.size(), rows.keySet().toString());
        byDevice(rows, "other");
    }

    @Test
    void aRemoveOlderThanTheStoredRowDoesNotDeleteIt() throws Exception {
        Relay relay = relay();
        assertHandled(apply(relay, reading("keep", T0 + 5_000).set("t", 5)));
        assertHandled(apply(relay, ChangeJson.remove().key("device", "keep").key("timestamp", "2024-07-12T01:17:42")
                .micros(T0 + 1_000)));
        assertEquals(0, BigDecimal.valueOf(5).compareTo(only(rows()).exactNumber("t")));
    }

    @Test
    void ttlDeletesFollowTheSetting() throws Exception {
        Relay deleting = relay();
        assertHandled(apply(deleting, reading("ttl", T0).set("t", 1)));
        ChangeJson expiry = ChangeJson.remove().key("device", "ttl").key("timestamp", "2024-07-12T01:17:42")
                .ttl().micros(T0 + 1_000);
        assertHandled(apply(deleting, expiry));
        assertTrue(rows().isEmpty());

        table = TestSinks.freshTable("sink-keep");
        Relay keeping = relay(Map.of("RELAY_TTL_DELETES", "keep"));
        assertHandled(apply(keeping, reading("ttl", T0).set("t", 1)));
        BatchResult r = apply(keeping, expiry);
        assertHandled(r);
        assertEquals(1, r.skipped());
        assertEquals(1, rows().size(), "an expired item is kept for analytics");
        // A user's own delete still deletes.
        assertHandled(apply(keeping, ChangeJson.remove().key("device", "ttl").key("timestamp", "2024-07-12T01:17:42")
                .micros(T0 + 2_000)));
        assertTrue(rows().isEmpty());
    }

    @Test
    void aBatchOf10000RecordsIsWrittenInFewStatements() throws Exception {
        Relay relay = relay();
        List<IncomingRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            batch.add(record(reading("d" + i, T0).set("i", i).set("temperature", new BigDecimal("20.5"))));
        }
        for (int i = 0; i < 5_000; i++) {
            batch.add(record(ChangeJson.modify().key("device", "d" + i).key("timestamp", "2024-07-12T01:17:42")
                    .set("device", "d" + i).set("timestamp", "2024-07-12T01:17:42").set("i", i)
                    .set("temperature", new BigDecimal("21.5")).micros(T0 + 1)));
        }
        BatchResult r = relay.apply(batch, Deadline.inMillis(120_000));
        assertHandled(r);
        assertEquals(5_000, r.applied(), "the newest change of each item: " + r.summary());
        assertEquals(5_000, r.skipped(), "the older change of each item, superseded in the batch: " + r.summary());
        assertEquals(5_000, r.writer().upserted);
        assertTrue(r.writer().statements <= 15, "statements: " + r.writer().statements);
        Map<String, SinkRow> rows = rows();
        assertEquals(5_000, rows.size());
        assertEquals(0, new BigDecimal("21.5").compareTo(byDevice(rows, "d4321").exactNumber("temperature")));
    }

    @Test
    void batchesSplitOverTwoConnectionsLeaveTheSameRowsAsOne() throws Exception {
        Relay relay = relay(Map.of("RELAY_SINK_CONNECTIONS", "2"));
        assertTrue(logs.stream().anyMatch(l -> l.startsWith("relay ready: ") && l.endsWith(", connections=2")),
                "the relay names its connections: " + logs);
        List<IncomingRecord> first = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            first.add(record(reading("d" + i, T0).set("i", i)));
        }
        assertHandled(relay.apply(first, Deadline.inMillis(120_000)));
        // Then one batch of REMOVEs (of d0..d149), MODIFYs (of d150..d449) and INSERTs (n0..n299):
        // the REMOVEs go together into the first part, the rest is shared out.
        List<IncomingRecord> second = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            if (i < 150) {
                second.add(record(ChangeJson.remove().key("device", "d" + i).key("timestamp", "2024-07-12T01:17:42")
                        .micros(T0 + 1_000)));
            } else {
                second.add(record(ChangeJson.modify().key("device", "d" + i).key("timestamp", "2024-07-12T01:17:42")
                        .set("device", "d" + i).set("timestamp", "2024-07-12T01:17:42").set("i", -i).micros(T0 + 1_000)));
            }
            if (i < 300) {
                second.add(record(reading("n" + i, T0 + 1_000).set("i", i)));
            }
        }
        BatchResult r = relay.apply(second, Deadline.inMillis(120_000));
        assertHandled(r);
        assertEquals(750, r.applied(), r.summary());
        assertEquals(150, r.writer().deleted, r.summary());
        assertEquals(600, r.writer().upserted, r.summary());

        Map<String, SinkRow> rows = rowsByDevice();
        assertEquals(450 + 300, rows.size());
        for (int i = 0; i < 600; i++) {
            SinkRow row = rows.get("d" + i);
            if (i < 150) {
                assertEquals(null, row, "d" + i + " was removed");
            } else {
                long expected = i < 450 ? -i : i;
                assertEquals(0, BigDecimal.valueOf(expected).compareTo(row.exactNumber("i")), "d" + i + ": " + row);
            }
        }
        // A late older INSERT of a removed item stays out: the tombstone written on one connection
        // is seen by every other.
        List<IncomingRecord> late = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            late.add(record(reading("d" + i, T0 + 500).set("i", 1)));
        }
        assertHandled(relay.apply(late, Deadline.inMillis(120_000)));
        Map<String, SinkRow> after = rowsByDevice();
        for (int i = 0; i < 150; i++) {
            assertEquals(null, after.get("d" + i), "d" + i + " was resurrected by an older change");
        }
        assertEquals(750, after.size());
    }

    private Map<String, SinkRow> rowsByDevice() throws Exception {
        Map<String, SinkRow> byDevice = new TreeMap<>();
        for (SinkRow row : rows().values()) {
            byDevice.put(row.pk().get("device").asText(), row);
        }
        return byDevice;
    }

    /** A key far beyond any index limit: the database refuses the row, whatever the relay tries. */
    static ChangeJson rejectedByDatabase() {
        Random random = new Random(7);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            huge.append((char) ('a' + random.nextInt(26)));
            if (i % 7 == 0) {
                huge.append((char) ('0' + random.nextInt(10)));
            }
        }
        return reading(huge.toString(), T0).set("t", 1);
    }

    @Test
    void aRowTheDatabaseRejectsIsNamedAndTheRestIsStored() throws Exception {
        Relay relay = relay();
        IncomingRecord ok1 = record(reading("ok1", T0).set("t", 1));
        IncomingRecord bad = record(rejectedByDatabase());
        IncomingRecord ok2 = record(reading("ok2", T0).set("t", 2));
        BatchResult r = apply(relay, ok1, bad, ok2);
        assertEquals(bad.sequenceNumber(), r.firstFailedSequence().orElse(null), r.summary());
        assertEquals(1, r.failed());
        Map<String, SinkRow> rows = rows();
        assertEquals(2, rows.size(), rows.keySet().toString());
        byDevice(rows, "ok1");
        byDevice(rows, "ok2");
    }

    @Test
    void withADeadLetterDestinationTheRejectedRowIsParkedAndTheBatchSucceeds(@TempDir Path dir) throws Exception {
        Relay relay = relay(Map.of("RELAY_DEAD_LETTER_DIR", dir.toString()));
        IncomingRecord bad = record(rejectedByDatabase());
        IncomingRecord garbage = new IncomingRecord("4954511524344703572546" + "9".repeat(34), "pk",
                "{not json".getBytes(), 0);
        BatchResult r = apply(relay, record(reading("fine", T0).set("t", 1)), bad, garbage);
        assertHandled(r);
        assertEquals(2, r.deadLettered());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
        assertEquals(1, rows().size());
    }

    /**
     * Two writers, each unaware of what the other typed: the first value any writer stores types a
     * sub-column, and CrateDB would silently store a later false as "f" in a TEXT column. The
     * writer that met the sub-column as new checks the sink's types after writing.
     */
    @Test
    void aSubColumnAnotherWriterTypedFirstDoesNotCoerceThisWritersValue() throws Exception {
        Relay first = relay();
        Relay second = relay();
        assertHandled(apply(first, reading("warm-1", T0).set("other", 1)));
        assertHandled(apply(second, reading("warm-2", T0).set("other", 2)));
        assertHandled(apply(first, reading("typed-text", T0 + 1).set("flag", "text")));
        assertHandled(apply(second, reading("typed-bool", T0 + 2).set("flag", false)));

        SinkRow row = byDevice(rows(), "typed-bool");
        assertTrue(row.attribute("flag").isBoolean(), "stored as " + row.attribute("flag") + ": " + row);
        assertFalse(row.attribute("flag").booleanValue());
        assertEquals("text", byDevice(rows(), "typed-text").attribute("flag").asText());
    }

    /**
     * A writer's statements outlive the table's sub-columns: this one wrote batches before another
     * writer added a sub-column, then writes rows that bring it (on rows spread over the table's
     * shards). On a CrateDB cluster a statement planned before the sub-column existed sent it
     * untyped and the shard's node decoded it typed: rows refused (then stored whole in aux) or
     * garbage stored (docs/proof.md). Single nodes never encode the rows, so this passes there
     * either way; it fails on a cluster without {@link dev.cdcrelay.write.SinkDialect#parsedAfter}.
     */
    @Test
    void rowsBringingASubColumnAnotherWriterAddedAfterThisWritersStatementsAreStoredAsSent() throws Exception {
        Relay first = relay();
        Relay second = relay();
        for (int batch = 0; batch < 3; batch++) {
            assertHandled(apply(first, reading("early-" + batch + "-a", T0).set("other", 1),
                    reading("early-" + batch + "-b", T0).set("other", 2)));
        }
        assertHandled(apply(second, reading("adds-late", T0).set("late", "typed by the second writer")));
        List<ChangeJson> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            rows.add(reading("late-" + i, T0 + 1).set("late", "ü" + i).set("other", i));
        }
        BatchResult r = apply(first, rows.toArray(ChangeJson[]::new));
        assertHandled(r);
        assertEquals(0, r.writer().rowsStoredInAuxOnly, r.summary());

        Map<String, SinkRow> stored = rows();
        for (int i = 0; i < 24; i++) {
            SinkRow row = byDevice(stored, "late-" + i);
            assertEquals(Set.of("device", "timestamp", "late", "other"), row.attributeNames(), row.toString());
            assertEquals("ü" + i, row.attribute("late").asText(), row.toString());
            assertEquals(i, row.attribute("other").asInt(), row.toString());
        }
    }

    /**
     * Once the table has every sub-column a MODIFY brings, the row goes straight to the guarded
     * upsert (one statement, not two): an older change then loses without harm, also where it
     * types a sub-column the table only had untyped (a null), or brings one the table lacks (the
     * CrateDB wipe: those rows still take insert-if-absent first).
     */
    @Test
    void olderChangesLoseWithoutHarmWhetherOrNotTheTableHasTheirSubColumns() throws Exception {
        Relay relay = relay();
        ChangeJson newest = reading("whole", T0 + 9_000).set("t", 9).set("m", DynamoJson.map("a", 9, "b", "nine"))
                .set("l", DynamoJson.list(DynamoJson.map("x", 9))).set("n", null);
        assertHandled(apply(relay, newest, reading("other", T0).set("t", 1)));
        // Every sub-column known (and the catalog read again: this writer made new ones).
        BatchResult known = apply(relay, reading("whole", T0 + 1_000).set("t", 1)
                .set("m", DynamoJson.map("a", 1, "b", "one")).set("l", DynamoJson.list(DynamoJson.map("x", 1))),
                reading("other", T0 + 2_000).set("t", 2));
        assertHandled(known);
        assertWhole(only9(rows()));
        // Steady state: MODIFYs whose sub-columns the table has. On CrateDB: one read of the rows'
        // revisions, the newer change ("other") replaced by revision, the older one ("whole", the
        // row holds a newer change) through the guarded upsert and its tombstone look-up.
        BatchResult steady = apply(relay, modified("whole", T0 + 1_500).set("t", 1).set("n", null),
                modified("other", T0 + 3_000).set("t", 3));
        assertHandled(steady);
        if (isCrateDb()) {
            assertEquals(4, steady.writer().statements,
                    "revision read, update by revision, guarded upsert + tombstone look-up: " + steady.summary());
        }
        assertWhole(only9(rows()));
        // An untyped (null-only) sub-column typed by an older change, and a sub-column the table lacks.
        assertHandled(apply(relay, modified("whole", T0 + 2_000).set("t", 2).set("n", 7)));
        assertWhole(only9(rows()));
        assertHandled(apply(relay, modified("whole", T0 + 3_000).set("t", 3).set("m", DynamoJson.map("new", 1))
                .set("brandNew", "x")));
        assertWhole(only9(rows()));
        assertEquals(0, BigDecimal.valueOf(3).compareTo(byDevice(rows(), "other").exactNumber("t")));
    }

    static ChangeJson modified(String device, long micros) {
        return ChangeJson.modify().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("device", device).set("timestamp", "2024-07-12T01:17:42").micros(micros);
    }

    static ChangeJson removal(String device, long micros) {
        return ChangeJson.remove().key("device", device).key("timestamp", "2024-07-12T01:17:42").micros(micros);
    }

    private SinkRow only9(Map<String, SinkRow> rows) {
        return byDevice(rows, "whole");
    }

    private static void assertWhole(SinkRow row) {
        assertEquals(0, BigDecimal.valueOf(9).compareTo(row.exactNumber("t")), row.toString());
        assertEquals("nine", row.attribute("m").get("b").asText(), row.toString());
        assertEquals(9, row.attribute("l").get(0).get("x").asInt(), row.toString());
        assertFalse(row.data().has("brandNew"), row.toString());
    }
}
