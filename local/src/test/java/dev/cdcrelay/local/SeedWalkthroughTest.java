package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: DynamoDB Local, its stream, the real handler, embedded PostgreSQL; the seed's walkthrough. */
class SeedWalkthroughTest {

    @Test
    void insertThenUpdateGivesOneRowWithTheNewTemperature() throws Exception {
        long t0 = System.currentTimeMillis();
        String table = TestSinks.freshTable("local-seed");
        Map<String, String> env = TestSinks.env(TestSinks.postgresUrl(), table);
        System.out.println("[test] +" + (System.currentTimeMillis() - t0) + " ms PostgreSQL ready");
        LocalRelay.Options options = LocalRelay.Options.parse("--port", "0", "--table", table,
                "--source-table", "demo-source-" + ProcessHandle.current().pid());
        try (LocalRelay local = new LocalRelay(options, env, m -> System.out.println("[test] +" + (System.currentTimeMillis() - t0) + " ms " + m))) {
            local.seedStatements();
            assertTrue(local.runUntilDelivered(2, 30_000), "the relay applied both changes");
            List<String[]> rows = local.sink().rows(table);
            System.out.print(local.sink().format(table));
            assertEquals(1, rows.size());
            JsonNode pk = new ObjectMapper().readTree(rows.get(0)[0]);
            JsonNode data = new ObjectMapper().readTree(rows.get(0)[1]);
            assertEquals("foo", pk.get("device").asText());
            assertEquals("2024-07-12T01:17:42", pk.get("timestamp").asText());
            assertEquals(0, new BigDecimal("43.59").compareTo(data.get("temperature").decimalValue()));
            System.out.println("[test] +" + (System.currentTimeMillis() - t0) + " ms checked");
            assertEquals(0, new BigDecimal("84.84").compareTo(data.get("humidity").decimalValue()));
        }
    }
}
