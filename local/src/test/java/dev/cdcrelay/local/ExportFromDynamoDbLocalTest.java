package dev.cdcrelay.local;

import dev.cdcrelay.backfill.scan.ScanItems;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdcrelay.backfill.BackfillCommand;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export files made from DynamoDB Local's own data (what its Scan returns, every attribute type,
 * written as export lines in AWS's format) load with the backfill command and come out equal.
 */
class ExportFromDynamoDbLocalTest {

    @Test
    void anExportOfDynamoDbLocalDataLoadsWithTheCommand(@TempDir Path tmp) throws Exception {
        TableDescription t = LocalDynamo.freshTable("export-source");
        DynamoDbClient ddb = LocalDynamo.ddb();
        for (int i = 0; i < 40; i++) {
            int k = i;
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("device", AttributeValue.fromS("d" + (k % 3)));
            item.put("timestamp", AttributeValue.fromS("t" + k));
            item.put("n", AttributeValue.fromN("12345678901234567890123456789.5" + k));
            item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) k})));
            item.put("flag", AttributeValue.fromBool(k % 2 == 0));
            item.put("nothing", AttributeValue.fromNul(true));
            item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("ü✓" + k))));
            item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("x"))));
            item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
            item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
            item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {9}))));
            ddb.putItem(b -> b.tableName(t.tableName()).item(item));
        }
        List<String> lines = new ArrayList<>();
        List<Map<String, AttributeValue>> scanned = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(t.tableName())).items().forEach(item -> {
            scanned.add(item);
            lines.add(new String(ScanItems.line(item), StandardCharsets.UTF_8));
        });
        assertEquals(40, lines.size());
        Path dir = new ExportWriter(tmp, Instant.now().minusSeconds(60))
                .lines(lines.subList(0, 25)).emptyFile().lines(lines.subList(25, 40)).write();

        String table = TestSinks.freshTable("export-from-local");
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), table));
        env.put("RELAY_KEY_SCHEMA", DynamoDbLocalServer.keySchemaSetting(t));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = BackfillCommand.run(new String[] {"backfill", dir.toString(), "--unchecked", "--loaders=2"}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), false);
        assertEquals(0, code, out.toString());
        assertEquals("backfilled 40 of 40 item(s) from 3 file(s) (40 read); problems: 0\n", out.toString());

        Map<String, SinkRow> rows = new TreeMap<>();
        for (SinkRow r : SinkRow.readAll(TestSinks.postgresUrl(), table, false)) {
            rows.put(r.pk().path("timestamp").asText(), r);
        }
        assertEquals(40, rows.size());
        for (Map<String, AttributeValue> item : scanned) {
            SinkRow row = rows.get(item.get("timestamp").s());
            assertEquals(0, new BigDecimal(item.get("n").n()).compareTo(row.exactNumber("n")), row.toString());
            assertEquals(item.get("m").m().get("inner").s(), row.attribute("m").path("inner").asText());
            assertEquals(item.get("flag").bool(), row.attribute("flag").asBoolean());
            JsonNode ns = row.attribute("ns");
            assertTrue(ns.isArray() && ns.size() == 2, row.toString());
            assertTrue(row.attribute("nothing").isNull(), row.toString());
        }
    }
}
