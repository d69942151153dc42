package dev.cdcrelay.plan;

import dev.cdcrelay.settings.KeySchemaSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

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
}
