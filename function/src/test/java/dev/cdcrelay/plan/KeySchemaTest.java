package dev.cdcrelay.plan;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.settings.KeySchemaSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RELAY_KEY_SCHEMA's grammar lives in the settings module; the writer's key schema is made from it. */
class KeySchemaTest {

    @Test
    void theWritersSqlKeyTypesAreTheSettingsOnes() {
        assertEquals(Arrays.stream(KeySchemaSpec.SqlType.values()).map(Enum::name).toList(),
                Arrays.stream(KeySchema.SqlKeyType.values()).map(Enum::name).toList());
    }

    @Test
    void parsedEntriesKeepNameTypeAndSqlType() {
        var keys = KeySchema.parse("id:N:TEXT,sort:B", "RELAY_KEY_SCHEMA");
        assertEquals(List.of(new KeySchema.KeyAttribute("id", "N", KeySchema.SqlKeyType.TEXT),
                new KeySchema.KeyAttribute("sort", "B", KeySchema.SqlKeyType.TEXT)), keys.attributes());
    }

    @Test
    void errorsStartWithTheSettingsName() {
        var e = assertThrows(IllegalArgumentException.class, () -> KeySchema.parse("id:X", "RELAY_KEY_SCHEMA"));
        assertEquals("RELAY_KEY_SCHEMA: key attribute 'id' has type 'X'; key types are S, N or B", e.getMessage());
    }

    @Test
    void aDoubleKeyReadBackIsTheKeyItWasPlannedFrom() {
        // 2E+23 and 75556799965969730 are doubles that Java 17's Double.toString spells one digit
        // longer (1.9999999999999998E23, 7.5556799965969728E16): read back that way, the stored row
        // would not match its item. (A key of more digits than its double's shortest text, such as
        // 75556799965969728, cannot match on any Java: the writer then reads the row again by key.)
        var keys = KeySchema.parse("d:S,x:N:DOUBLE", "RELAY_KEY_SCHEMA");
        for (String number : List.of("2E+23", "75556799965969730", "0.1", "-2.5", "1E+20")) {
            Map<String, DynamoValue> key = Map.of("d", new DynamoValue.Str("dev"),
                    "x", new DynamoValue.Num(new BigDecimal(number)));
            List<Object> bound = keys.bindValues(key);
            Map<String, DynamoValue> readBack = Map.of("d", keys.fromSql(keys.attributes().get(0), bound.get(0)),
                    "x", keys.fromSql(keys.attributes().get(1), bound.get(1)));
            assertEquals(ItemKey.of(key).canonical(), ItemKey.of(readBack).canonical(), number);
        }
        assertEquals("{\"d\":\"dev\",\"x\":2.0E23}", keys.toJson(List.of("dev", 2e23)));
    }
}
