package dev.cdcrelay.local;

import dev.cdcrelay.backfill.scan.ScanBackfill;
import dev.cdcrelay.backfill.scan.ScanCheckpoint;
import dev.cdcrelay.backfill.scan.ReadRateLimiter;
import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Scan path of the backfill against DynamoDB Local, into embedded PostgreSQL. */
class ScanBackfillTest {

    private static final int ITEMS = 250;

    private final String sinkTable = TestSinks.freshTable("scan-backfill");

    private static TableDescription tableWithItems(int n) throws Exception {
        TableDescription t = LocalDynamo.freshTable("scan-source");
        DynamoDbClient ddb = LocalDynamo.ddb();
        for (int i = 0; i < n; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName(t.tableName()).item(Map.of(
                    "device", AttributeValue.fromS("d" + (k % 17)),
                    "timestamp", AttributeValue.fromS(String.format("2026-12-02T05:%04d", k)),
                    "reading", AttributeValue.fromN(k + ".25"),
                    "tags", AttributeValue.fromSs(List.of("a", "b" + k)))));
        }
        return t;
    }

    private Supplier<Relay> relays(TableDescription t) {
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), sinkTable));
        env.put("RELAY_KEY_SCHEMA", DynamoDbLocalServer.keySchemaSetting(t));
        RelayConfig config = RelayConfig.fromEnvironment(env);
        return () -> Relay.fromConfig(config, line -> { });
    }

    private ScanBackfill backfill(TableDescription t, ScanBackfill.Settings settings) throws Exception {
        return new ScanBackfill(LocalDynamo.ddb(), t.tableName(), List.of("device", "timestamp"), settings, m -> { });
    }

    private Map<String, String> sink() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        for (SinkRow r : SinkRow.readAll(TestSinks.postgresUrl(), sinkTable, false)) {
            rows.put(r.pk().path("timestamp").asText(), r.exactNumber("reading").toPlainString());
        }
        return rows;
    }

    @Test
    void aParallelScanLoadsEveryItem() throws Exception {
        TableDescription t = tableWithItems(ITEMS);
        ScanBackfill.Result r = backfill(t, new ScanBackfill.Settings(3, 20, 10_000, 50, 0))
                .run(ScanCheckpoint.inMemory(t.tableName(), 3, Instant.now()), Instant.now().minusSeconds(1), relays(t));
        assertEquals(List.of(), r.problems());
        assertTrue(r.complete());
        assertEquals(ITEMS, r.itemsRead());
        assertEquals(ITEMS, r.itemsLoaded());
        Map<String, String> rows = sink();
        assertEquals(ITEMS, rows.size());
        assertEquals("17.25", rows.get("2026-12-02T05:0017"));
    }

    @Test
    void aStoppedScanResumesFromTheLastLoadedPageWithoutReadingAnyPageTwice(@TempDir Path dir) throws Exception {
        TableDescription t = tableWithItems(ITEMS);
        Path file = dir.resolve("scan.checkpoint.json");
        ScanBackfill.Settings twoPagesPerRun = new ScanBackfill.Settings(2, 15, 10_000, 50, 2);
        Instant start = Instant.now();
        long read = 0;
        int runs = 0;
        boolean complete = false;
        Instant firstStart = null;
        while (!complete && runs < 100) {
            ScanCheckpoint checkpoint = ScanCheckpoint.open(file, t.tableName(), 2, Instant.now());
            firstStart = firstStart == null ? checkpoint.scanStart() : firstStart;
            assertEquals(firstStart, checkpoint.scanStart(), "a resumed scan keeps its snapshot time");
            ScanBackfill.Result r = backfill(t, twoPagesPerRun).run(checkpoint, start.minusSeconds(1), relays(t));
            assertEquals(List.of(), r.problems());
            assertTrue(r.itemsRead() <= 2 * 2 * 15, "one run reads at most its pages: " + r.itemsRead());
            read += r.itemsRead();
            complete = r.complete();
            runs++;
        }
        assertTrue(complete);
        assertTrue(runs >= ITEMS / (2 * 2 * 15), "runs: " + runs);
        assertEquals(ITEMS, read, "no page was read twice");
        assertEquals(ITEMS, sink().size());
        assertTrue(Files.readString(file).contains("\"done\":true"));
    }

    @Test
    void aCheckpointOfAnotherScanIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        ScanCheckpoint.open(file, "table-a", 2, Instant.now());
        Exception e = assertThrows(IOException.class, () -> ScanCheckpoint.open(file, "table-b", 2, Instant.now()));
        assertTrue(e.getMessage().endsWith("it is for table table-a with 2 segment(s); this scan is table-b with 2"
                + " (delete the file to start over)"), e.getMessage());
    }

    @Test
    void aStreamEnabledAfterTheScanStartedIsRefused() throws Exception {
        TableDescription t = tableWithItems(1);
        Instant start = Instant.now();
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class, () -> backfill(t,
                ScanBackfill.Settings.defaults()).run(ScanCheckpoint.inMemory(t.tableName(), 4, start),
                start.plusSeconds(5), relays(t)));
        assertTrue(e.getMessage().startsWith("the stream was enabled at "), e.getMessage());
        assertThrows(SQLException.class, this::sink, "refused before a relay existed: no sink table");
    }

    @Test
    void theReadRateLimitMakesTheNextPageWaitForTheUnitsSpent() throws Exception {
        ReadRateLimiter limiter = new ReadRateLimiter(10);
        limiter.consumed(5); // half a second's worth
        long t0 = System.nanoTime();
        limiter.awaitTurn();
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 450, "waited only " + waited + " ms for 5 units at 10 units/s");
        assertEquals(0.5, ReadRateLimiter.estimate(100));
        assertEquals(1.0, ReadRateLimiter.estimate(4097));
    }
}
