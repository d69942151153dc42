package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The takeover rehearsed locally: a sink table as the per-record processor left it, the relay
 * adopts it, the seed's INSERT and UPDATE arrive through DynamoDB Local's stream. Rows before,
 * changes applied, rows after. On embedded PostgreSQL always, on CrateDB when CRATEDB_JDBC_URL is set.
 */
class ReferenceTakeoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onPostgres() throws Exception {
        takeover(TestSinks.postgresUrl());
    }

    @Test
    void onCrateDb() throws Exception {
        String url = TestSinks.cratedbUrl();
        if (url == null) {
            System.out.println(TestSinks.CRATEDB_SKIP_REASON);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(url != null, TestSinks.CRATEDB_SKIP_REASON);
        takeover(url);
    }

    private void takeover(String url) throws Exception {
        String table = TestSinks.freshTable("local-takeover");
        List<String> logs = new ArrayList<>();
        Map<String, String> env = TestSinks.env(url, table);
        LocalRelay.Options options = LocalRelay.Options.parse("--port", "0", "--table", table,
                "--source-table", "takeover-source-" + ProcessHandle.current().pid(), "--reference-rows", "3");
        try (LocalRelay local = new LocalRelay(options, env, m -> {
            logs.add(m);
            System.out.println("[takeover] " + m);
        })) {
            local.seedStatements();
            assertTrue(local.runUntilDelivered(2, 60_000), "the relay applied both changes");
            System.out.print("[takeover] rows after:\n" + local.sink().format(table));
            List<String[]> rows = local.sink().rows(table);
            assertEquals(3, rows.size());
            assertTrue(logs.stream().anyMatch(l -> l.startsWith("adopted table " + table)), logs.toString());
            for (String[] row : rows) {
                String device = JSON.readTree(row[0]).get("device").asText();
                JsonNode data = JSON.readTree(row[1]);
                if (device.equals("foo")) {
                    assertEquals(0, new BigDecimal("43.59").compareTo(data.get("temperature").decimalValue()), row[1]);
                    assertTrue(row[2].matches("\\d+:\\d+"), "foo holds the relay's version: " + row[2]);
                } else {
                    assertEquals("", row[2], "an untouched row counts as older than any change: " + device);
                }
            }
        } finally {
            TestSinks.dropTables(url, table);
        }
    }
}
