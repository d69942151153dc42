package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split of a batch over several connections, against embedded PostgreSQL. The second writer's
 * connection leads nowhere, so what each part did is visible: its items fail, the first part's
 * are stored, and each item is reported once, in the batch's order.
 */
class SplitBatchWriterTest {

    private static final ChangeDecoder DECODER = new ChangeDecoder();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final String table = TestSinks.freshTable("split");
    private final List<ChangeWriter> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        opened.forEach(ChangeWriter::close);
        TestSinks.dropTables(TestSinks.postgresUrl(), table);
    }

    @Test
    void theItemsAreCutInOrderIntoPartsOfTheSameSize() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8, 9)), SplitBatchWriter.cut(items, 3));
        assertEquals(List.of(List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9)), SplitBatchWriter.cut(items, 2));
        assertEquals(List.of(items), SplitBatchWriter.cut(items, 1));
    }

    @Test
    void eachPartIsWrittenOnItsOwnConnectionAndEveryItemIsReportedOnceInBatchOrder() throws Exception {
        SplitBatchWriter writer = writer(1);
        Set<String> expectedStored = prepareTables(writer);
        List<ChangeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            batch.add(change("device-" + i, 10));
        }
        WriteResult result = writer.write(batch, Deadline.inMillis(30_000));

        assertEquals(batch.stream().map(ChangeRecord::itemKey).toList(), List.copyOf(result.outcomes().keySet()));
        int firstPart = 0;
        for (int i = 0; i < batch.size(); i++) {
            ChangeRecord c = batch.get(i);
            WriteResult.Outcome outcome = result.outcomes().get(c.itemKey());
            if (i < 200) { // the first half of the batch is the first part
                assertEquals(new WriteResult.Outcome.Applied(false), outcome, c.itemKey().toString());
                expectedStored.add(device(c));
                firstPart++;
            } else {
                // The sink was not reached on that connection: a failure of the moment, never the record's.
                WriteResult.Outcome.Failed failed = assertInstanceOf(WriteResult.Outcome.Failed.class, outcome);
                assertTrue(failed.transientFailure(), failed.reason());
            }
        }
        assertEquals(200, firstPart);
        assertEquals(expectedStored, storedDevices());
        assertEquals(firstPart, result.counters().upserted, result.counters().toString());
    }

    @Test
    void theRemovesOfABatchGoTogetherIntoTheFirstPart() throws Exception {
        SinkWriter alone = sinkWriter(TestSinks.postgresUrl());
        opened.add(alone);
        List<ChangeRecord> stored = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stored.add(change("gone-" + i, 5));
        }
        assertEquals(100, alone.write(stored, Deadline.inMillis(30_000)).counters().upserted);
        SplitBatchWriter writer = writer(1);
        Set<String> expected = prepareTables(writer);
        List<ChangeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(change("device-" + i, 10));
            if (i % 3 == 0) {
                batch.add(removal("gone-" + i / 3, 10));
            }
        }
        WriteResult result = writer.write(batch, Deadline.inMillis(30_000));

        // The 100 REMOVEs come first, then the INSERTs in batch order; the first 200 are part 0.
        assertEquals(100, result.counters().deleted, result.counters().toString());
        assertEquals(100, result.counters().upserted, result.counters().toString());
        for (int i = 0; i < 100; i++) {
            expected.add("device-" + i);
        }
        assertEquals(expected, storedDevices());
        for (ChangeRecord c : batch) {
            boolean firstPart = c.eventName() == EventName.REMOVE
                    || Integer.parseInt(device(c).substring("device-".length())) < 100;
            assertEquals(firstPart, result.outcomes().get(c.itemKey()) instanceof WriteResult.Outcome.Applied,
                    c.itemKey() + ": " + result.outcomes().get(c.itemKey()));
        }
    }

    @Test
    void aBatchTooSmallToSplitGoesOnTheFirstConnectionOnly() throws Exception {
        List<ChangeRecord> batch = new ArrayList<>();
        for (int i = 0; i < SplitBatchWriter.MIN_ITEMS_PER_PART * 2 - 1; i++) {
            batch.add(change("device-" + i, 10));
        }
        SplitBatchWriter defaults = new SplitBatchWriter(List.of(sinkWriter(TestSinks.postgresUrl()),
                sinkWriter("jdbc:postgresql://127.0.0.1:1/nowhere")), List.of());
        opened.add(defaults);
        Set<String> all = prepareTables(defaults);
        WriteResult result = defaults.write(batch, Deadline.inMillis(30_000));

        for (ChangeRecord c : batch) {
            assertEquals(new WriteResult.Outcome.Applied(false), result.outcomes().get(c.itemKey()));
            all.add(device(c));
        }
        assertEquals(all, storedDevices());
    }

    @Test
    void theFirstWriterAloneWritesUntilItHasPreparedTheTables() throws Exception {
        SplitBatchWriter writer = writer(1);
        List<ChangeRecord> batch = new ArrayList<>();
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            batch.add(change("device-" + i, 10));
            all.add("device-" + i);
        }
        WriteResult result = writer.write(batch, Deadline.inMillis(30_000));
        assertEquals(300, result.counters().upserted, result.counters().toString());
        assertEquals(all, storedDevices());
    }

    @Test
    void aSplitBatchIsStoredOnEveryConnectionWhenWriteReturns() throws Exception {
        SplitBatchWriter writer = new SplitBatchWriter(List.of(sinkWriter(TestSinks.postgresUrl()),
                sinkWriter(TestSinks.postgresUrl())), List.of(), 1);
        opened.add(writer);
        List<ChangeRecord> first = new ArrayList<>();
        List<ChangeRecord> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(change("device-" + i, 10));
            second.add(change("device-" + i, 20, new BigDecimal(i)));
        }
        assertEquals(300, writer.write(first, Deadline.inMillis(30_000)).counters().upserted);
        WriteResult result = writer.write(second, Deadline.inMillis(30_000));
        assertEquals(300, result.counters().upserted, result.counters().toString());
        Map<String, SinkRow> rows = new TreeMap<>();
        for (SinkRow row : SinkRow.readAll(TestSinks.postgresUrl(), table, false)) {
            rows.put(row.pk().get("device").asText(), row);
        }
        assertEquals(300, rows.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(0, new BigDecimal(i).compareTo(rows.get("device-" + i).exactNumber("temperature")),
                    "device-" + i + ": " + rows.get("device-" + i));
        }
    }

    @Test
    void fewerThanTwoWritersOrAnEmptyPartSizeAreRefused() {
        SinkWriter one = sinkWriter(TestSinks.postgresUrl());
        opened.add(one);
        assertEquals("a split batch writer needs at least 2 writers, got 1", assertThrows(IllegalArgumentException.class,
                () -> new SplitBatchWriter(List.of(one), List.of())).getMessage());
        assertEquals("the smallest part must hold at least 1 item, got 0", assertThrows(IllegalArgumentException.class,
                () -> new SplitBatchWriter(List.of(one, one), List.of(), 0)).getMessage());
    }

    /** Writer 0 on the test database, writer 1 on a port where nothing listens. */
    private SplitBatchWriter writer(int minItemsPerPart) {
        SplitBatchWriter writer = new SplitBatchWriter(List.of(sinkWriter(TestSinks.postgresUrl()),
                sinkWriter("jdbc:postgresql://127.0.0.1:1/nowhere")), List.of(), minItemsPerPart);
        opened.add(writer);
        return writer;
    }

    /** One change through the writer: the first writer creates the tables. Returns the device stored. */
    private Set<String> prepareTables(SplitBatchWriter writer) throws Exception {
        WriteResult result = writer.write(List.of(change("device-first", 1)), Deadline.inMillis(30_000));
        assertEquals(1, result.counters().upserted, result.counters().toString());
        return new TreeSet<>(Set.of("device-first"));
    }

    private SinkWriter sinkWriter(String url) {
        SinkWriter.Settings defaults = SinkWriter.Settings.defaults();
        SinkWriter.Settings once = new SinkWriter.Settings(defaults.rowsPerBatch(), 1, defaults.retryBaseMillis(),
                defaults.retryMaxMillis(), 0, true, defaults.tombstoneRetention());
        return new SinkWriter(new SinkConnection(url, "postgres", "", 2), null, TableName.parse(table, "table"),
                TableName.parse(table + "_tombstones", "table"), null, DeclaredTypes.NONE, once, line -> { });
    }

    private Set<String> storedDevices() throws Exception {
        Set<String> devices = new TreeSet<>();
        for (SinkRow row : SinkRow.readAll(TestSinks.postgresUrl(), table, false)) {
            devices.add(row.pk().get("device").asText());
        }
        return devices;
    }

    private static String device(ChangeRecord c) {
        return c.itemKey().toString().replaceAll(".*((device|gone)-\\d+).*", "$1");
    }

    private static ChangeRecord removal(String device, long second) throws Exception {
        ChangeJson json = ChangeJson.remove().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .old("device", device).old("timestamp", "2024-07-12T01:17:42")
                .micros(1_720_742_302_000_000L + second * 1_000_000L);
        return DECODER.decode(new IncomingRecord(String.format("%056d", SEQUENCE.incrementAndGet()),
                json.partitionKey(), json.toBytes(), 0));
    }

    private static ChangeRecord change(String device, long second) throws Exception {
        return change(device, second, new BigDecimal("20.5"));
    }

    private static ChangeRecord change(String device, long second, BigDecimal temperature) throws Exception {
        ChangeJson json = ChangeJson.insert().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("device", device).set("timestamp", "2024-07-12T01:17:42")
                .set("temperature", temperature).micros(1_720_742_302_000_000L + second * 1_000_000L);
        return DECODER.decode(new IncomingRecord(String.format("%056d", SEQUENCE.incrementAndGet()),
                json.partitionKey(), json.toBytes(), 0));
    }
}
