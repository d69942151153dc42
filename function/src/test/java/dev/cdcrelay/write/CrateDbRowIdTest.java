package dev.cdcrelay.write;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrateDbRowIdTest {

    /** Read with {@code SELECT _id} from CrateDB 6.4.3 for rows with these key values. */
    @Test
    void encodesKeysAsTheServerDid() {
        assertEquals(Optional.of("AwhkZXYtw7wnMQ0xNzAwMDAwMDAwMTIzAzEuNQ=="),
                CrateDbRowId.of(List.of("dev-ü'1", 1700000000123L, 1.5)));
        assertEquals(Optional.of("AwFhAi01BjEuMEUyMA=="), CrateDbRowId.of(List.of("a", -5L, 1e20)));
        assertEquals(Optional.of("AwFiATADMC4x"), CrateDbRowId.of(List.of("b", 0L, 0.1)));
        assertEquals(Optional.of("AwFjATcFMTAwLjA="), CrateDbRowId.of(List.of("c", 7L, 100.0)));
        assertEquals(Optional.of("o'neil"), CrateDbRowId.of(List.of("o'neil")));
        // Doubles that Java 17 spells one digit longer than the server (1.9999999999999998E23,
        // 7.5556799965969728E16): the server's id holds the shortest text (read 2026-12-03).
        assertEquals(Optional.of("AwFlATEGMi4wRTIz"), CrateDbRowId.of(List.of("e", 1L, 2e23)));
        assertEquals(Optional.of("AwFmATIUNy41NTU2Nzk5OTY1OTY5NzNFMTY="),
                CrateDbRowId.of(List.of("f", 2L, 75556799965969728d)));
    }

    @Test
    void aValueLongerThan127BytesGetsATwoByteLength() {
        String id = CrateDbRowId.of(List.of("x".repeat(200), "y")).orElseThrow();
        byte[] raw = Base64.getDecoder().decode(id);
        assertEquals(2, raw[0]);
        assertEquals((byte) (200 & 0x7F | 0x80), raw[1]);
        assertEquals(1, raw[2]);
        assertEquals(3 + 200 + 2, raw.length);
    }

    @Test
    void aSingleKeyWithAControlCharacterIsNotNamedById() {
        assertEquals(Optional.empty(), CrateDbRowId.of(List.of("line\nbreak")));
        assertEquals(Optional.empty(), CrateDbRowId.of(List.of("nul\u0000")));
    }

    /**
     * The id computed here against the id CrateDB stores, for random keys of every key type the
     * relay writes: text (with quotes and non-ASCII), binary, BIGINT, DOUBLE, numbers kept as text.
     */
    @Test
    void matchesTheIdsARealCrateDbStores() throws Exception {
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
        CrateDbDialect dialect = new CrateDbDialect();
        Random random = new Random(7);
        List<String> specs = List.of("d:S,t:N:BIGINT", "d:S,x:N:DOUBLE", "n:N:TEXT,b:B", "id:S", "id:N:BIGINT");
        try (Connection c = TestSinks.connect(TestSinks.cratedbUrl())) {
            for (String spec : specs) {
                KeySchema keys = KeySchema.parse(spec, "test");
                String name = TestSinks.freshTable("rowid");
                TableName table = TableName.parse(name, "test");
                try (Statement st = c.createStatement()) {
                    for (String ddl : dialect.createTables(table, TableName.parse(name + "_tombstones", "test"), keys,
                            DeclaredTypes.NONE)) {
                        st.execute(ddl);
                    }
                    Map<String, String> expected = new HashMap<>();
                    for (int i = 0; i < 60; i++) {
                        List<Object> values = keys.bindValues(randomKey(keys, random));
                        String pkJson = keys.toJson(values);
                        try (var ps = c.prepareStatement("INSERT INTO " + table.sql()
                                + " (\"pk\", \"version\") VALUES (?::OBJECT, '1') ON CONFLICT DO NOTHING")) {
                            ps.setString(1, pkJson);
                            ps.executeUpdate();
                        }
                        expected.put(pkJson, CrateDbRowId.of(values).orElseThrow());
                    }
                    st.execute("REFRESH TABLE " + table.sql());
                    int compared = 0;
                    try (ResultSet rs = st.executeQuery("SELECT _id, pk FROM " + table.sql())) {
                        while (rs.next()) {
                            String stored = rs.getString(1);
                            assertTrue(expected.containsValue(stored),
                                    spec + ": CrateDB stored _id " + stored + " for pk " + rs.getString(2)
                                            + ", computed none like it: " + expected);
                            compared++;
                        }
                    }
                    assertEquals(expected.size(), compared, spec);
                } finally {
                    TestSinks.dropTables(TestSinks.cratedbUrl(), name);
                }
            }
        }
    }

    private static Map<String, DynamoValue> randomKey(KeySchema keys, Random random) {
        Map<String, DynamoValue> key = new LinkedHashMap<>();
        for (KeySchema.KeyAttribute a : keys.attributes()) {
            key.put(a.name(), switch (a.dynamoType()) {
                case "S" -> new DynamoValue.Str(randomText(random));
                case "B" -> new DynamoValue.Bin(Base64.getEncoder().encodeToString(randomText(random).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
                default -> new DynamoValue.Num(switch (a.sqlType()) {
                    case BIGINT -> BigDecimal.valueOf(random.nextLong() >> random.nextInt(63));
                    // 2E+23 and whole numbers near 10^17: doubles whose text Java 17 spells one digit
                    // longer than CrateDB does (1.9999999999999998E23 for 2.0E23).
                    case DOUBLE -> new BigDecimal(List.of("1e20", "0.1", "-2.5", "100", "1.7976931348623157E308",
                            "4.9E-324", "123456789.125", "2E+23", "75556799965969728").get(random.nextInt(9)))
                            .add(BigDecimal.valueOf(random.nextInt(1000)));
                    case TEXT -> new BigDecimal(random.nextInt() + "." + random.nextInt(1000));
                });
            });
        }
        return key;
    }

    private static String randomText(Random random) {
        String[] parts = {"dev", "ü", "'", "\"", "\\", "日本", "😀", "a b", "%", "-", "0"};
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(parts[random.nextInt(parts.length)]);
        }
        return sb.append(random.nextInt(100_000)).toString();
    }
}
