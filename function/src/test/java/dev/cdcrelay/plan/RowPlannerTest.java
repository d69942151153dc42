package dev.cdcrelay.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ChangeVersion;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CrateDB-safe document rules, as a pure function: no database needed. */
class RowPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeySchema KEYS = KeySchema.parse("id:S", "test");

    private static ChangeRecord insert(Map<String, DynamoValue> image) {
        Map<String, DynamoValue> full = new LinkedHashMap<>();
        full.put("id", new DynamoValue.Str("k"));
        full.putAll(image);
        return new ChangeRecord("1", "e", EventName.INSERT, false, new ChangeVersion(5, "1"),
                Map.of("id", new DynamoValue.Str("k")), full, "t");
    }

    private static DynamoValue num(String n) {
        return new DynamoValue.Num(new BigDecimal(n));
    }

    private static PlannedRow.Upsert plan(RowPlanner p, ColumnKinds kinds, Map<String, DynamoValue> image) {
        return (PlannedRow.Upsert) p.plan(insert(image), kinds);
    }

    private final RowPlanner safe = new RowPlanner(KEYS, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);

    @Test
    void numbersGoOutAsDoublesSoTheFirstValueCannotMakeTheColumnIntegral() throws Exception {
        PlannedRow.Upsert row = plan(safe, new ColumnKinds(), Map.of("n", num("1")));
        assertEquals("{\"id\":\"k\",\"n\":1.0}", row.dataJson());
    }

    @Test
    void anExistingIntegralColumnGetsIntegersAndFractionsAreDiverted() throws Exception {
        ColumnKinds kinds = new ColumnKinds();
        kinds.put("n", ColumnKinds.INTEGRAL);
        assertEquals("{\"id\":\"k\",\"n\":7}", plan(safe, kinds, Map.of("n", num("7"))).dataJson());
        PlannedRow.Upsert fraction = plan(safe, kinds, Map.of("n", num("1.5")));
        assertFalse(JSON.readTree(fraction.dataJson()).has("n"));
        assertEquals("1.5", JSON.readTree(fraction.auxJson()).at("/attributes/n").decimalValue().toPlainString());
        assertEquals(1, fraction.divertedAttributes());
    }

    @Test
    void aNumberADoubleCannotHoldKeepsAnExactCopy() throws Exception {
        String big = "12345678901234567890123456789012345678";
        PlannedRow.Upsert row = plan(safe, new ColumnKinds(), Map.of("n", num(big), "ok", num("43.59")));
        JsonNode aux = JSON.readTree(row.auxJson());
        assertEquals(big, aux.at("/exact/n").asText());
        assertFalse(aux.path("exact").has("ok"), "43.59 survives a double round trip");
        assertEquals(1, row.inexactNumbers());
    }

    @Test
    void mixedListsNamesCrateDbRefusesAndHugeTextAreDivertedWhole() throws Exception {
        Map<String, DynamoValue> image = new LinkedHashMap<>();
        image.put("mixed", new DynamoValue.ListValue(List.of(num("1"), new DynamoValue.Str("x"))));
        image.put("a[0]", new DynamoValue.Str("subscript syntax"));
        image.put("_id", new DynamoValue.Str("a leading underscore is fine for CrateDB 6"));
        image.put("a.b", new DynamoValue.Str("dot"));
        image.put("big", new DynamoValue.Str("x".repeat(40_000)));
        image.put("fine", new DynamoValue.Str("stays"));
        PlannedRow.Upsert row = plan(safe, new ColumnKinds(), image);
        JsonNode data = JSON.readTree(row.dataJson());
        JsonNode diverted = JSON.readTree(row.auxJson()).get("attributes");
        assertEquals("stays", data.get("fine").asText());
        assertEquals("a leading underscore is fine for CrateDB 6", data.get("_id").asText());
        for (String name : List.of("mixed", "a[0]", "a.b", "big")) {
            assertFalse(data.has(name), name);
            assertTrue(diverted.has(name), name);
        }
        assertEquals(4, row.divertedAttributes());
    }

    @Test
    void typeDriftWithinOneBatchIsCaughtByTheKindsTheBatchIntroduced() throws Exception {
        ColumnKinds kinds = new ColumnKinds();
        plan(safe, kinds, Map.of("v", new DynamoValue.Str("text")));
        PlannedRow.Upsert second = plan(safe, kinds,
                Map.of("v", new DynamoValue.MapValue(Map.of("x", num("1")))));
        assertFalse(JSON.readTree(second.dataJson()).has("v"));
        assertTrue(JSON.readTree(second.auxJson()).at("/attributes/v").has("x"));
    }

    @Test
    void aNumberMeetingATextColumnKeepsItsTypeInAux() throws Exception {
        ColumnKinds kinds = new ColumnKinds();
        kinds.put("v", ColumnKinds.TEXT);
        PlannedRow.Upsert row = plan(safe, kinds, Map.of("v", num("3.25")));
        assertFalse(JSON.readTree(row.dataJson()).has("v"));
        assertTrue(JSON.readTree(row.auxJson()).at("/attributes/v").isNumber());
    }

    @Test
    void listsOfMapsMustAgreeWithEachOther() throws Exception {
        DynamoValue list = new DynamoValue.ListValue(List.of(
                new DynamoValue.MapValue(Map.of("a", num("1"))),
                new DynamoValue.MapValue(Map.of("a", new DynamoValue.Str("x")))));
        PlannedRow.Upsert row = plan(safe, new ColumnKinds(), Map.of("l", list));
        assertEquals(1, row.divertedAttributes());
    }

    @Test
    void declaredTypesWin() throws Exception {
        RowPlanner declared = new RowPlanner(KEYS, DeclaredTypes.parse("count:BIGINT,serial:TEXT", "T"),
                RowPlanner.Mode.CRATEDB_SAFE);
        PlannedRow.Upsert row = plan(declared, new ColumnKinds(),
                Map.of("count", num("3"), "serial", num("12345678901234567890123456789012345678")));
        JsonNode data = JSON.readTree(row.dataJson());
        assertTrue(data.get("count").isIntegralNumber());
        assertEquals("12345678901234567890123456789012345678", data.get("serial").asText());
        assertEquals(0, row.inexactNumbers());
    }

    @Test
    void exactModeKeepsEverythingInData() throws Exception {
        RowPlanner exact = new RowPlanner(KEYS, DeclaredTypes.NONE, RowPlanner.Mode.EXACT_JSON);
        PlannedRow.Upsert row = plan(exact, new ColumnKinds(), Map.of("n", num("12345678901234567890123456789012345678"),
                "mixed", new DynamoValue.ListValue(List.of(num("1"), new DynamoValue.Str("x")))));
        assertEquals("{}", row.auxJson());
        assertEquals("12345678901234567890123456789012345678",
                JSON.readTree(row.dataJson()).get("n").bigIntegerValue().toString());
    }

    @Test
    void auxNeverHoldsANumberCrateDbCannotStoreExactly() throws Exception {
        DynamoValue mixed = new DynamoValue.ListValue(List.of(num("123456789012345678901234567890"),
                num("1.5"), num("7"), num("0.12345678901234567890123"), new DynamoValue.Str("x")));
        PlannedRow.Upsert row = plan(safe, new ColumnKinds(), Map.of("mixed", mixed));
        JsonNode list = JSON.readTree(row.auxJson()).at("/attributes/mixed");
        assertEquals("123456789012345678901234567890", list.get(0).asText());
        assertTrue(list.get(0).isTextual(), "beyond BIGINT: exact text");
        assertTrue(list.get(1).isDouble());
        assertTrue(list.get(2).isIntegralNumber());
        assertEquals("0.12345678901234567890123", list.get(3).asText());
        assertTrue(list.get(3).isTextual(), "a double would round it");
    }

    @Test
    void allInAuxIsTheLastResort() throws Exception {
        PlannedRow.Upsert row = (PlannedRow.Upsert) safe.planAllInAux(insert(Map.of("v", num("1"))));
        assertEquals("{}", row.dataJson());
        assertTrue(JSON.readTree(row.auxJson()).at("/attributes").has("v"));
    }

    @Test
    void aKeyThatDoesNotFitItsSqlTypeIsAClearError() {
        RowPlanner numeric = new RowPlanner(KeySchema.parse("id:N", "RELAY_KEY_SCHEMA"), DeclaredTypes.NONE,
                RowPlanner.Mode.CRATEDB_SAFE);
        ChangeRecord c = new ChangeRecord("1", "e", EventName.INSERT, false, new ChangeVersion(5, "1"),
                Map.of("id", num("1.5")), Map.of("id", num("1.5")), "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> numeric.plan(c, new ColumnKinds()));
        assertTrue(e.getMessage().contains("id:N:TEXT"), e.getMessage());
    }

    @Test
    void crateDbColumnNamesAndTypesAreUnderstood() {
        assertEquals("a" + ColumnKinds.SEP + "b'c", ColumnKinds.pathBelow("data", "data['a']['b''c']"));
        assertEquals(null, ColumnKinds.pathBelow("data", "aux['a']"));
        assertEquals(ColumnKinds.INTEGRAL, ColumnKinds.fromSqlType("bigint"));
        assertEquals(ColumnKinds.FLOATING, ColumnKinds.fromSqlType("double precision"));
        assertEquals(new ColumnKind.ArrayOf(ColumnKinds.TEXT), ColumnKinds.fromSqlType("text_array"));
        assertEquals(new ColumnKind.ArrayOf(ColumnKinds.FLOATING), ColumnKinds.fromSqlType("double precision[]"));
        assertEquals(ColumnKinds.OTHER, ColumnKinds.fromSqlType("timestamp with time zone"));
    }
}
