package dev.cdcrelay.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayConfigTest {

    private static final String PASSWORD = "Tr0ub4dor&3-never-print-me";

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("CRATEDB_JDBC_URL", "jdbc:crate://db.example:5432/?sslmode=require");
        env.put("CRATEDB_USER", "writer");
        env.put("CRATEDB_PASSWORD", PASSWORD);
        env.put("CRATEDB_TABLE", "doc.demo-sink");
        return env;
    }

    @Test
    void defaultsAndParsing() {
        RelayConfig c = RelayConfig.fromEnvironment(valid());
        assertEquals("\"doc\".\"demo-sink\"", c.table().sql());
        assertEquals("\"doc\".\"demo-sink_tombstones\"", c.tombstoneTable().sql());
        assertNull(c.keySchema(), "key schema comes from the records by default");
        assertEquals(RelayConfig.TtlDeletes.DELETE, c.ttlDeletes());
        assertEquals(1000, c.writerSettings().rowsPerBatch());
        assertEquals(5, c.writerSettings().maxAttempts());
        assertTrue(c.writerSettings().createTables());
    }

    @Test
    void toStringNeverShowsThePasswordOrTheUrlQuery() {
        String s = RelayConfig.fromEnvironment(valid()).toString();
        assertFalse(s.contains(PASSWORD), s);
        assertFalse(s.contains("sslmode"), s);
        assertTrue(s.contains("password=(set)"), s);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "CRATEDB_JDBC_URL|                         |CRATEDB_JDBC_URL is not set",
            "CRATEDB_JDBC_URL|jdbc:mysql://x/db        |CRATEDB_JDBC_URL must start with jdbc:crate:// or jdbc:postgresql://",
            "CRATEDB_JDBC_URL|jdbc:postgresql://x/db?password=p|CRATEDB_JDBC_URL must not carry the password",
            "CRATEDB_TABLE|                            |CRATEDB_TABLE is not set",
            "CRATEDB_TABLE|a.b.c                       |CRATEDB_TABLE: 'a.b.c' is not [schema.]table",
            "CRATEDB_TABLE|\"unterminated              |CRATEDB_TABLE: unterminated quote",
            "RELAY_KEY_SCHEMA|device:X                 |RELAY_KEY_SCHEMA: key attribute 'device' has type 'X'; key types are S, N or B",
            "RELAY_KEY_SCHEMA|a:S,b:S,c:S              |RELAY_KEY_SCHEMA: expected one or two key attributes, got 3",
            "RELAY_KEY_SCHEMA|id:N:FLOAT               |RELAY_KEY_SCHEMA: key attribute 'id' has SQL type 'FLOAT'",
            "RELAY_KEY_SCHEMA|device                   |RELAY_KEY_SCHEMA: 'device' is not name:TYPE",
            "RELAY_ATTRIBUTE_TYPES|count:INTEGER       |RELAY_ATTRIBUTE_TYPES: attribute 'count' has type 'INTEGER'",
            "RELAY_ATTRIBUTE_TYPES|count               |RELAY_ATTRIBUTE_TYPES: 'count' is not name:TYPE",
            "RELAY_TTL_DELETES|archive                 |RELAY_TTL_DELETES must be 'delete' or 'keep', got 'archive'",
            "RELAY_ROWS_PER_BATCH|0                    |RELAY_ROWS_PER_BATCH must be between 1 and 10000, got 0",
            "RELAY_MAX_ATTEMPTS|many                   |RELAY_MAX_ATTEMPTS must be a whole number, got 'many'",
            "RELAY_CREATE_TABLE|perhaps                |RELAY_CREATE_TABLE must be true or false, got 'perhaps'",
            "RELAY_CONNECT_TIMEOUT_SECONDS|9999        |RELAY_CONNECT_TIMEOUT_SECONDS must be between 1 and 300",
    })
    void badSettingsAreNamedWithWhatIsWrong(String name, String value, String expected) {
        Map<String, String> env = valid();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void aKeyAttributeCannotAlsoBeDeclaredInData() {
        Map<String, String> env = valid();
        env.put("RELAY_KEY_SCHEMA", "device:S,timestamp:S");
        env.put("RELAY_ATTRIBUTE_TYPES", "device:TEXT");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromEnvironment(env));
        assertTrue(e.getMessage().contains("'device' is a key attribute"), e.getMessage());
    }

    @Test
    void deadLettersGoToABucketOrADirectoryNotBoth() {
        Map<String, String> env = valid();
        env.put("RELAY_DEAD_LETTER_BUCKET", "b");
        env.put("RELAY_DEAD_LETTER_DIR", "/tmp/x");
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromEnvironment(env));
    }
}
