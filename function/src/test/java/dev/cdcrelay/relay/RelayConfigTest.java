package dev.cdcrelay.relay;

import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.settings.InvalidSettingsException;
import dev.cdcrelay.settings.TtlDeletes;
import dev.cdcrelay.write.SinkWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conversion to the relay's types; the rules of each variable: settings' RelaySettingsTest. */
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
        assertEquals(Optional.empty(), c.keySchema(), "key schema comes from the records by default");
        assertEquals(TtlDeletes.DELETE, c.ttlDeletes());
        assertEquals(SinkWriter.Settings.defaults(), c.writerSettings());
        assertEquals(new SinkWriter.Settings(1000, 5, 100, 2000, 1500, true, Duration.ofDays(8)), c.writerSettings(),
                "the README's defaults");
        assertEquals("dead-letter/", c.deadLetterPrefix());
        assertEquals(Optional.empty(), c.deadLetterBucket());
    }

    @Test
    void theKeySchemaBecomesTheWritersKeySchema() {
        Map<String, String> env = valid();
        env.put("RELAY_KEY_SCHEMA", "device:S,n:N:TEXT");
        KeySchema keys = c(env).keySchema().orElseThrow();
        assertEquals(List.of("device", "n"), keys.names());
        assertEquals(KeySchema.SqlKeyType.TEXT, keys.attributes().get(1).sqlType());
        assertEquals("N", keys.attributes().get(1).dynamoType());
    }

    @Test
    void toStringNeverShowsThePasswordOrTheUrlQuery() {
        String s = RelayConfig.fromEnvironment(valid()).toString();
        assertFalse(s.contains(PASSWORD), s);
        assertFalse(s.contains("sslmode"), s);
        assertTrue(s.contains("password=(set)"), s);
    }

    @Test
    void everyBadVariableIsReportedAtOnceAndNoneShowsThePassword() {
        Map<String, String> env = valid();
        env.put("CRATEDB_JDBC_URL", "jdbc:postgresql://x/db?password=" + PASSWORD);
        env.put("RELAY_ATTRIBUTE_TYPES", "count:INTEGER");
        env.put("RELAY_CREATE_TABLE", "yes");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> RelayConfig.fromEnvironment(env));
        assertEquals(List.of(
                "CRATEDB_JDBC_URL: must not carry the password; set it separately",
                "RELAY_ATTRIBUTE_TYPES: attribute 'count' has type 'INTEGER'; use TEXT, BIGINT, DOUBLE or BOOLEAN",
                "RELAY_CREATE_TABLE: must be true or false, got 'yes'"),
                e.problems().stream().map(Object::toString).toList());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    private static RelayConfig c(Map<String, String> env) {
        return RelayConfig.fromEnvironment(env);
    }
}
