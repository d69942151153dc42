package dev.cdcrelay.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RelaySettingsTest {

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
    void unsetVariablesTakeTheirDefaults() {
        var env = valid();
        env.remove("CRATEDB_USER");
        var settings = RelaySettings.read(env);
        assertEquals("crate", settings.user());
        assertEquals(TtlDeletes.DELETE, settings.ttlDeletes());
        assertEquals(new RelaySettings.DeadLetters(Optional.empty(), "dead-letter/", Optional.empty()),
                settings.deadLetters());
        assertEquals(new RelaySettings.Writer(1000, 5, 100, 2000, 1500, true, 192, 2), settings.writer());
        assertEquals(10, settings.connectTimeoutSeconds());
        assertEquals(Optional.empty(), settings.keySchema());
        assertEquals("doc.demo-sink_tombstones", settings.tombstoneTable().toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
            "CRATEDB_JDBC_URL => ~~ => CRATEDB_JDBC_URL: is required; e.g. jdbc:postgresql://<host>:5432/doc",
            "CRATEDB_JDBC_URL => jdbc:mysql://x/db => CRATEDB_JDBC_URL: must start with jdbc:postgresql:// or jdbc:crate://",
            "CRATEDB_JDBC_URL => jdbc:postgresql://x/db?password=p => CRATEDB_JDBC_URL: must not carry the password; set it separately",
            "CRATEDB_JDBC_URL => jdbc:postgresql://u:p@x/db => CRATEDB_JDBC_URL: must not carry credentials before the host (user:password@); set CRATEDB_USER and the password separately",
            "CRATEDB_JDBC_URL => jdbc:crate:// => CRATEDB_JDBC_URL: has no host after //",
            "CRATEDB_JDBC_URL => jdbc:postgresql://db:54x2/doc => CRATEDB_JDBC_URL: has port '54x2'; a port is a number from 1 to 65535",
            "CRATEDB_JDBC_URL => jdbc:postgresql://db:70000/doc => CRATEDB_JDBC_URL: has port '70000'; a port is a number from 1 to 65535",
            "CRATEDB_JDBC_URL => jdbc:postgresql://a:5432,:5433/doc => CRATEDB_JDBC_URL: has an empty host name",
            "CRATEDB_TABLE => ~~ => CRATEDB_TABLE: is required; name the sink table, e.g. doc.readings",
            "CRATEDB_TABLE => a.b.c => CRATEDB_TABLE: 'a.b.c' is not [schema.]table",
            "CRATEDB_TABLE => \"unterminated => CRATEDB_TABLE: has an unterminated quote: '\"unterminated'",
            "CRATEDB_TABLE => we\"ird table => CRATEDB_TABLE: 'we\"ird table' contains '\"'; CrateDB refuses . \\ / * ? \" < > | blanks , # in a name",
            "CRATEDB_TABLE => t23456789012345678901234567890123456789012345678901234 => CRATEDB_TABLE: makes the tombstone table 't23456789012345678901234567890123456789012345678901234_tombstones', which has a part of 65 bytes; PostgreSQL cuts names after 63 bytes; shorten it or set RELAY_TOMBSTONE_TABLE",
            "RELAY_TOMBSTONE_TABLE => sys.t => RELAY_TOMBSTONE_TABLE: 'sys.t' is in CrateDB's read-only schema sys",
            "RELAY_KEY_SCHEMA => device:X => RELAY_KEY_SCHEMA: key attribute 'device' has type 'X'; key types are S, N or B",
            "RELAY_KEY_SCHEMA => a:S,b:S,c:S => RELAY_KEY_SCHEMA: expected one or two key attributes, got 3 in 'a:S,b:S,c:S'",
            "RELAY_KEY_SCHEMA => id:N:FLOAT => RELAY_KEY_SCHEMA: key attribute 'id' has SQL type 'FLOAT'; use TEXT, BIGINT or DOUBLE",
            "RELAY_KEY_SCHEMA => id:S:BIGINT => RELAY_KEY_SCHEMA: key attribute 'id' of type S can only be stored as TEXT",
            "RELAY_KEY_SCHEMA => device => RELAY_KEY_SCHEMA: 'device' is not name:TYPE[:SQLTYPE] (e.g. device:S or id:N:TEXT)",
            "RELAY_KEY_SCHEMA => a:S,a:N => RELAY_KEY_SCHEMA: key attribute 'a' given twice",
            "RELAY_ATTRIBUTE_TYPES => count:INTEGER => RELAY_ATTRIBUTE_TYPES: attribute 'count' has type 'INTEGER'; use TEXT, BIGINT, DOUBLE or BOOLEAN",
            "RELAY_ATTRIBUTE_TYPES => count => RELAY_ATTRIBUTE_TYPES: 'count' is not name:TYPE (e.g. count:BIGINT)",
            "RELAY_ATTRIBUTE_TYPES => n:TEXT,n:BIGINT => RELAY_ATTRIBUTE_TYPES: attribute 'n' declared twice",
            "RELAY_TTL_DELETES => archive => RELAY_TTL_DELETES: must be one of delete, keep, got 'archive'",
            "RELAY_TTL_DELETES => KEEP => RELAY_TTL_DELETES: must be one of delete, keep, got 'KEEP'",
            "RELAY_DEAD_LETTER_PREFIX => /letters/ => RELAY_DEAD_LETTER_PREFIX: must be an S3 key prefix without leading '/', blanks or wildcards, got '/letters/'",
            "RELAY_ROWS_PER_BATCH => 0 => RELAY_ROWS_PER_BATCH: must be from 1 to 10000, got 0",
            "RELAY_SINK_CONNECTIONS => 9 => RELAY_SINK_CONNECTIONS: must be from 1 to 8, got 9",
            "RELAY_MAX_ATTEMPTS => many => RELAY_MAX_ATTEMPTS: must be a whole number from 1 to 100, got 'many'",
            "RELAY_CREATE_TABLE => yes => RELAY_CREATE_TABLE: must be true or false, got 'yes'",
            "RELAY_CREATE_TABLE => 1 => RELAY_CREATE_TABLE: must be true or false, got '1'",
            "RELAY_CONNECT_TIMEOUT_SECONDS => 9999 => RELAY_CONNECT_TIMEOUT_SECONDS: must be from 1 to 300, got 9999",
            "RELAY_TOMBSTONE_RETENTION_HOURS => 0 => RELAY_TOMBSTONE_RETENTION_HOURS: must be from 1 to 8784, got 0",
            "CRATEDB_PASSWORD_SECRET_ARN => relay-pw => CRATEDB_PASSWORD_SECRET_ARN: is set together with CRATEDB_PASSWORD; set one of them",
    })
    void eachBadValueIsNamedWithWhatIsWrong(String name, String value, String expected) {
        var env = valid();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        var e = assertThrows(InvalidSettingsException.class, () -> RelaySettings.read(env));
        assertEquals(expected, e.problems().get(0).toString());
        assertEquals(EnvVar.valueOf(name), e.problems().get(0).variable());
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void aKeyAttributeCannotAlsoBeDeclaredInData() {
        var env = valid();
        env.put("RELAY_KEY_SCHEMA", "device:S,timestamp:S");
        env.put("RELAY_ATTRIBUTE_TYPES", "device:TEXT");
        assertEquals(List.of("RELAY_ATTRIBUTE_TYPES: 'device' is a key attribute; its type comes from RELAY_KEY_SCHEMA"),
                messages(env));
    }

    @Test
    void deadLettersGoToABucketOrADirectoryNotBoth() {
        var env = valid();
        env.put("RELAY_DEAD_LETTER_BUCKET", "b");
        env.put("RELAY_DEAD_LETTER_DIR", "/tmp/x");
        assertEquals(List.of("RELAY_DEAD_LETTER_DIR: is set together with RELAY_DEAD_LETTER_BUCKET; set one of them"),
                messages(env));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var env = valid();
        env.remove("CRATEDB_JDBC_URL");
        env.put("CRATEDB_TABLE", "we ird");
        env.put("RELAY_MAX_ATTEMPTS", "0");
        var e = assertThrows(InvalidSettingsException.class, () -> RelaySettings.read(env));
        assertEquals(List.of(EnvVar.CRATEDB_JDBC_URL, EnvVar.CRATEDB_TABLE, EnvVar.RELAY_MAX_ATTEMPTS),
                e.problems().stream().map(SettingProblem::variable).toList());
        assertEquals(3, e.getMessage().lines().filter(line -> line.startsWith("  - ")).count(), e.getMessage());
    }

    @Test
    void urlsTheDriversTakeAreAccepted() {
        for (var url : java.util.List.of("jdbc:postgresql://db.example:5432/doc?sslmode=verify-full",
                "jdbc:postgresql://a:5432,b:5433/doc?targetServerType=primary", "jdbc:crate://db.example/",
                "jdbc:postgresql://[2001:db8::1]:5432/doc", "jdbc:postgresql://[::1]/doc")) {
            assertEquals(Optional.empty(), RelaySettings.jdbcUrlProblem(url), url);
        }
    }

    @Test
    void itsTextNeverShowsThePasswordOrTheUrlsQuery() {
        var text = RelaySettings.read(valid()).toString();
        assertFalse(text.contains(PASSWORD), text);
        assertFalse(text.contains("sslmode"), text);
        assertEquals("url=jdbc:crate://db.example:5432/, user=writer, password=(set), table=doc.demo-sink,"
                + " keySchema=(from records), ttlDeletes=DELETE, deadLetters=(none)", text);
    }

    @Test
    void theUrlsQueryIsLeftOutOfItsLoggableForm() {
        assertEquals("jdbc:crate://db.example:5432/", RelaySettings.read(valid()).jdbcUrlWithoutQuery());
    }

    private static List<String> messages(Map<String, String> env) {
        return RelaySettings.problemsWith(env).stream().map(SettingProblem::toString).toList();
    }
}
