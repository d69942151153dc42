package dev.cdcrelay.write;

import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The layout rules on CrateDB's catalog as 6.4.3 reports it: object keys are sub-columns named
 * {@code pk['device']}, and {@code key_column_usage} names them {@code pk}, once per key column.
 */
class LayoutCheckTest {

    private static final TableName TABLE = new TableName(null, "t");
    private static final KeySchema KEYS = KeySchema.parse("device:S,timestamp:S", "RELAY_KEY_SCHEMA");
    private static final ExpectedLayout EXPECTED = new CrateDbDialect().expectedLayout(TABLE, KEYS, DeclaredTypes.NONE);

    private static TableLayout crate(List<String> primaryKey, String... columns) {
        Map<String, TableLayout.Column> map = new LinkedHashMap<>();
        for (String c : columns) {
            String[] nameAndType = c.split(":");
            map.put(nameAndType[0], new TableLayout.Column(nameAndType[0], nameAndType[1], !primaryKey.isEmpty()
                    && nameAndType[0].startsWith("pk["), false));
        }
        return new TableLayout(map, primaryKey);
    }

    private static final String[] REFERENCE = {"pk:object", "pk['device']:text", "pk['timestamp']:text",
            "data:object", "aux:object"};

    @Test
    void theReferenceLayoutLacksOnlyTheVersion() {
        LayoutCheck.Verdict v = LayoutCheck.check(crate(List.of("pk", "pk"), REFERENCE), EXPECTED);
        LayoutCheck.Verdict.LacksAddable lacks = assertInstanceOf(LayoutCheck.Verdict.LacksAddable.class, v);
        assertEquals(List.of("version"), lacks.missing().stream().map(ExpectedLayout.ExpectedColumn::name).toList());
    }

    @Test
    void theRelaysOwnLayoutFits() {
        String[] own = {"pk:object", "pk['device']:text", "pk['timestamp']:text", "data:object", "aux:object",
                "version:text", "data['temperature']:double precision"};
        assertInstanceOf(LayoutCheck.Verdict.Fits.class, LayoutCheck.check(crate(List.of("pk", "pk"), own), EXPECTED));
    }

    @Test
    void aKeyOfOneColumnWhereTheSourceHasTwoIsAnotherLayout() {
        TableLayout oneKey = crate(List.of("pk"), "pk:object", "pk['device']:text", "pk['timestamp']:text",
                "data:object", "aux:object", "version:text");
        LayoutCheck.Verdict.Differs d = assertInstanceOf(LayoutCheck.Verdict.Differs.class,
                LayoutCheck.check(oneKey, EXPECTED));
        assertEquals(List.of("primary key is (pk) (expected (pk, pk))"), d.differences());
    }

    @Test
    void aKeyColumnTheSourceDoesNotHaveIsAnotherLayout() {
        TableLayout other = crate(List.of("pk", "pk"), "pk:object", "pk['device']:text", "pk['id']:text",
                "data:object", "aux:object", "version:text");
        LayoutCheck.Verdict.Differs d = assertInstanceOf(LayoutCheck.Verdict.Differs.class, LayoutCheck.check(other, EXPECTED));
        assertEquals(List.of("no column pk['timestamp'] (expected pk['timestamp'] TEXT)",
                "column pk['id'] is not a key attribute (the key is [pk['device'], pk['timestamp']])"), d.differences());
    }

    @Test
    void aNotNullColumnTheRelayNeverWritesIsAnotherLayout() {
        Map<String, TableLayout.Column> map = new LinkedHashMap<>(crate(List.of("pk", "pk"), REFERENCE).columns());
        map.put("version", new TableLayout.Column("version", "text", true, false));
        map.put("owner", new TableLayout.Column("owner", "text", false, false));
        LayoutCheck.Verdict.Differs d = assertInstanceOf(LayoutCheck.Verdict.Differs.class,
                LayoutCheck.check(new TableLayout(map, List.of("pk", "pk")), EXPECTED));
        assertEquals(List.of("column owner is NOT NULL without a default, and the relay never writes it"), d.differences());
    }
}
