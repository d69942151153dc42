package dev.cdcrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded random history on DynamoDB Local, delivered through the real handler with duplicate
 * batches and re-deliveries from an earlier checkpoint: the sink ends equal to a Scan of the table.
 */
class ConvergenceTest {

    private static final long SEED = 20240712L;
    private static final String[] ATTRS = {"reading", "tags", "blob", "flag", "big", "doc"};
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void sinkEqualsTheTableAfterDuplicatesAndRedeliveries() throws Exception {
        Random random = new Random(SEED);
        DynamoDbClient ddb = LocalDynamo.ddb();
        TableDescription table = LocalDynamo.freshTable("converge");
        String name = table.tableName();

        for (int op = 0; op < 300; op++) {
            Map<String, AttributeValue> key = Map.of("device", AttributeValue.fromS("d" + random.nextInt(5)),
                    "timestamp", AttributeValue.fromS("t" + random.nextInt(4)));
            int kind = random.nextInt(10);
            if (kind < 4) {
                Map<String, AttributeValue> item = new HashMap<>(key);
                for (String a : ATTRS) {
                    if (random.nextBoolean()) {
                        item.put(a, value(random, 0));
                    }
                }
                ddb.putItem(b -> b.tableName(name).item(item));
            } else if (kind < 8) {
                String a = ATTRS[random.nextInt(ATTRS.length)];
                if (random.nextInt(4) == 0) {
                    ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("REMOVE #a")
                            .expressionAttributeNames(Map.of("#a", a)));
                } else {
                    AttributeValue v = value(random, 0);
                    ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("SET #a = :v")
                            .expressionAttributeNames(Map.of("#a", a)).expressionAttributeValues(Map.of(":v", v)));
                }
            } else {
                ddb.deleteItem(b -> b.tableName(name).key(key));
            }
        }

        KinesisRecordWrapper wrapper = new KinesisRecordWrapper("eu-central-1", name, table.latestStreamArn());
        List<KinesisRecordWrapper.Wrapped> records =
                LocalDynamo.drain(new StreamReader(LocalDynamo.streams(), table.latestStreamArn(), wrapper), 200);

        String sinkTable = TestSinks.freshTable("local-converge");
        Map<String, String> env = TestSinks.env(TestSinks.postgresUrl(), sinkTable);
        env.put("RELAY_KEY_SCHEMA", DynamoDbLocalServer.keySchemaSetting(table));
        int invocations = 0;
        int duplicates = 0;
        int rewinds = 0;
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env), m -> { })) {
            RelayHandler handler = new RelayHandler(relay);
            int checkpoint = 0;
            while (checkpoint < records.size()) {
                int end = Math.min(records.size(), checkpoint + 1 + random.nextInt(25));
                List<KinesisRecordWrapper.Wrapped> batch = records.subList(checkpoint, end);
                int repeat = random.nextInt(5) == 0 ? 2 : 1; // at-least-once: the same batch twice
                duplicates += repeat - 1;
                for (int r = 0; r < repeat; r++) {
                    invocations++;
                    String failed = BatchDelivery.deliver(handler, wrapper, batch);
                    assertNull(failed, "no batch item failure expected against a healthy sink");
                }
                checkpoint = end;
                if (random.nextInt(6) == 0) { // a re-delivery from an earlier checkpoint
                    checkpoint = Math.max(0, checkpoint - 1 - random.nextInt(30));
                    rewinds++;
                }
            }
        }
        System.out.println("[test] " + records.size() + " stream records, " + invocations + " invocations, "
                + duplicates + " duplicate batches, " + rewinds + " rewinds");
        assertTrue(duplicates > 0 && rewinds > 0);

        Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(name).consistentRead(true)).items().forEach(item ->
                expected.put(item.get("device").s() + "/" + item.get("timestamp").s(), item));
        Map<String, JsonNode> actual = new TreeMap<>();
        try (LocalSink sink = LocalSink.start(env)) {
            for (String[] row : sink.rows(sinkTable)) {
                JsonNode pk = mapper.readTree(row[0]);
                actual.put(pk.get("device").asText() + "/" + pk.get("timestamp").asText(), mapper.readTree(row[1]));
            }
        }
        assertEquals(expected.keySet(), actual.keySet(), "the same items");
        assertTrue(expected.size() > 3, "a meaningful final state: " + expected.size() + " items");
        for (Map.Entry<String, Map<String, AttributeValue>> e : expected.entrySet()) {
            JsonNode data = actual.get(e.getKey());
            List<String> names = new ArrayList<>();
            data.fieldNames().forEachRemaining(names::add);
            assertEquals(new TreeMap<>(e.getValue()).keySet(), new java.util.TreeSet<>(names), e.getKey());
            for (Map.Entry<String, AttributeValue> a : e.getValue().entrySet()) {
                assertSame(a.getValue(), data.get(a.getKey()), e.getKey() + "." + a.getKey());
            }
        }
    }

    /** Type drift on purpose: every attribute may be a string, a number, a map, a set, ... */
    private static AttributeValue value(Random random, int depth) {
        switch (random.nextInt(depth > 1 ? 6 : 10)) {
            case 0: return AttributeValue.fromS("s" + random.nextInt(100));
            case 1: return AttributeValue.fromN(Integer.toString(random.nextInt(2000) - 1000));
            case 2: return AttributeValue.fromN(random.nextInt(100) + "." + (1 + random.nextInt(99)));
            case 3: return AttributeValue.fromBool(random.nextBoolean());
            case 4: return AttributeValue.fromNul(true);
            case 5: return AttributeValue.fromN("9" + "8".repeat(36) + (1 + random.nextInt(9))); // 38 digits
            case 6: {
                Map<String, AttributeValue> m = new HashMap<>();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    m.put("k" + random.nextInt(5), value(random, depth + 1));
                }
                return AttributeValue.fromM(m);
            }
            case 7: {
                List<AttributeValue> l = new ArrayList<>();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    l.add(value(random, depth + 1));
                }
                return AttributeValue.fromL(l);
            }
            case 8: return random.nextBoolean()
                    ? AttributeValue.fromSs(List.of("a" + random.nextInt(3), "b" + random.nextInt(3)))
                    : AttributeValue.fromNs(List.of("1." + (1 + random.nextInt(8)), "-7", "1" + "0".repeat(30)));
            default: return random.nextBoolean()
                    ? AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {(byte) random.nextInt(256), 7}))
                    : AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}),
                            SdkBytes.fromByteArray(new byte[] {(byte) (2 + random.nextInt(200))})));
        }
    }

    /** Semantic equality of a DynamoDB value and the exact JSON the PostgreSQL sink keeps. */
    private static void assertSame(AttributeValue v, JsonNode n, String where) {
        if (n == null) {
            fail(where + ": missing in the sink");
        }
        switch (v.type()) {
            case S -> assertEquals(v.s(), n.textValue(), where);
            case N -> {
                assertTrue(n.isNumber(), where + " is a number: " + n);
                assertEquals(0, new BigDecimal(v.n()).compareTo(n.decimalValue()), where + ": " + v.n() + " vs " + n);
            }
            case B -> assertEquals(Base64.getEncoder().encodeToString(v.b().asByteArray()), n.textValue(), where);
            case BOOL -> assertEquals(v.bool(), n.booleanValue(), where);
            case NUL -> assertTrue(n.isNull(), where);
            case M -> {
                assertTrue(n.isObject(), where);
                assertEquals(v.m().size(), n.size(), where);
                v.m().forEach((k, x) -> assertSame(x, n.get(k), where + "." + k));
            }
            case L -> {
                assertTrue(n.isArray(), where);
                assertEquals(v.l().size(), n.size(), where);
                for (int i = 0; i < v.l().size(); i++) {
                    assertSame(v.l().get(i), n.get(i), where + "[" + i + "]");
                }
            }
            case SS -> assertEquals(new java.util.TreeSet<>(v.ss()), textSet(n), where);
            case BS -> assertEquals(new java.util.TreeSet<>(v.bs().stream()
                    .map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList()), textSet(n), where);
            case NS -> {
                java.util.TreeSet<String> want = new java.util.TreeSet<>();
                v.ns().forEach(x -> want.add(new BigDecimal(x).stripTrailingZeros().toPlainString()));
                java.util.TreeSet<String> got = new java.util.TreeSet<>();
                n.forEach(x -> got.add(x.decimalValue().stripTrailingZeros().toPlainString()));
                assertEquals(want, got, where);
            }
            default -> fail(where + ": unexpected type " + v.type());
        }
    }

    private static java.util.TreeSet<String> textSet(JsonNode n) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            out.add(it.next().textValue());
        }
        return out;
    }
}
