package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Two DynamoDB Local tables relayed at once, each into its own sink table (embedded PostgreSQL). */
class LocalTablesTest {

    @Test
    void eachTableArrivesInItsOwnSinkTableAndOnlyThere() throws Exception {
        var suffix = "-" + ProcessHandle.current().pid();
        var sinkA = TestSinks.freshTable("local-tables-a");
        var sinkB = TestSinks.freshTable("local-tables-b");
        var pairs = LocalTables.TablePair.parse("orders" + suffix + "=" + sinkA + ", readings" + suffix + "=" + sinkB);
        Map<String, String> env = TestSinks.env(TestSinks.postgresUrl(), "unused");
        try (var local = new LocalTables(0, pairs, 100, env, message -> System.out.println("[test] " + message))) {
            var ddb = local.dynamoDb();
            ddb.executeStatement(b -> b.statement("INSERT INTO \"orders" + suffix + "\" VALUE {'device':'a1',"
                    + "'timestamp':'2026-12-02T06:00:00','temperature':1.5}"));
            ddb.executeStatement(b -> b.statement("INSERT INTO \"orders" + suffix + "\" VALUE {'device':'a2',"
                    + "'timestamp':'2026-12-02T06:00:01','temperature':2.5}"));
            ddb.executeStatement(b -> b.statement("INSERT INTO \"readings" + suffix + "\" VALUE {'device':'b1',"
                    + "'timestamp':'2026-12-02T06:00:02','temperature':9.75}"));

            assertTrue(local.runUntilEachDelivered(1, 30_000), "both tables were relayed");
            assertTrue(waitFor(local, "orders" + suffix, 2), "both changes of orders were relayed");
            System.out.print(local.sink().format(sinkA));
            System.out.print(local.sink().format(sinkB));

            assertEquals(List.of("a1", "a2"), devices(local.sink().rows(sinkA)));
            assertEquals(List.of("b1"), devices(local.sink().rows(sinkB)));
            var reading = new ObjectMapper().readTree(local.sink().rows(sinkB).get(0)[1]);
            assertEquals(0, new BigDecimal("9.75").compareTo(reading.get("temperature").decimalValue()));
        }
    }

    @Test
    void tablePairsNameEachSourceAndSinkOnce() {
        assertEquals(List.of(new LocalTables.TablePair("a", "x"), new LocalTables.TablePair("b", "y")),
                LocalTables.TablePair.parse("a=x, b=y"));
        assertEquals("--tables: 'b=x' names a source or sink table twice",
                assertThrows(IllegalArgumentException.class, () -> LocalTables.TablePair.parse("a=x,b=x")).getMessage());
        assertEquals("--tables: 'a' is not SOURCE=SINK",
                assertThrows(IllegalArgumentException.class, () -> LocalTables.TablePair.parse("a")).getMessage());
    }

    private static boolean waitFor(LocalTables local, String source, long records) throws InterruptedException {
        for (int i = 0; i < 150 && local.delivered(source) < records; i++) {
            local.step();
            Thread.sleep(200);
        }
        return local.delivered(source) >= records;
    }

    private static List<String> devices(List<String[]> rows) throws Exception {
        var mapper = new ObjectMapper();
        var devices = new ArrayList<String>();
        for (var row : rows) {
            devices.add(mapper.readTree(row[0]).get("device").asText());
        }
        return devices.stream().sorted().toList();
    }
}
