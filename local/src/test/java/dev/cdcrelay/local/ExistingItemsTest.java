package dev.cdcrelay.local;

import dev.cdcrelay.backfill.scan.ScanBackfill;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An existing table: items written before it had a stream reach the sink only through the
 * backfill; afterwards the stream's changes land on top of them (a newer change wins).
 */
class ExistingItemsTest {

    private static final int EXISTING = 120;

    private static Map<String, BigDecimal> temperatures(LocalRelay local, String table) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, BigDecimal> out = new TreeMap<>();
        for (String[] row : local.sink().rows(table)) {
            out.put(json.readTree(row[0]).get("timestamp").asText(), json.readTree(row[1]).get("temperature").decimalValue());
        }
        return out;
    }

    private static LocalRelay start(String table, String... extra) throws Exception {
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"--port", "0", "--table", table, "--source-table",
                "existing-" + ProcessHandle.current().pid() + "-" + table.hashCode()}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        return new LocalRelay(LocalRelay.Options.parse(args), TestSinks.env(TestSinks.postgresUrl(), table), m -> { });
    }

    @Test
    void itemsWrittenBeforeTheStreamArriveThroughTheBackfillAndTheStreamStillWins() throws Exception {
        String table = TestSinks.freshTable("local-existing");
        try (LocalRelay local = start(table, "--existing-items", Integer.toString(EXISTING), "--scan-segments", "3")) {
            ScanBackfill.Result r = local.backfill();
            assertEquals(List.of(), r.problems());
            assertEquals(EXISTING, r.itemsLoaded());
            // A change after the scan: the stream carries it, and it must win over the scanned item.
            local.dynamoDb().executeStatement(b -> b.statement("UPDATE \"" + local.options().sourceTable()
                    + "\" SET temperature = 99.5 WHERE device = 'existing-0' AND \"timestamp\" = '2024-07-11T00:00:07'"));
            local.seedStatements();
            assertTrue(local.runUntilDelivered(3, 30_000), "the stream's three changes were applied");
            Map<String, BigDecimal> rows = temperatures(local, table);
            assertEquals(EXISTING + 1, rows.size(), "every existing item and the seed's one");
            assertEquals(0, new BigDecimal("99.5").compareTo(rows.get("2024-07-11T00:00:07")));
            assertEquals(0, new BigDecimal("20.8").compareTo(rows.get("2024-07-11T00:00:08")));
            assertEquals(0, new BigDecimal("43.59").compareTo(rows.get("2024-07-12T01:17:42")));
        }
    }

    @Test
    void withoutTheBackfillTheExistingItemsNeverArrive() throws Exception {
        String table = TestSinks.freshTable("local-existing-none");
        try (LocalRelay local = start(table, "--existing-items", "5", "--no-backfill")) {
            local.seedStatements();
            assertTrue(local.runUntilDelivered(2, 30_000));
            assertEquals(1, local.sink().rows(table).size(), "only the seed's item: the stream never saw the others");
        }
    }
}
