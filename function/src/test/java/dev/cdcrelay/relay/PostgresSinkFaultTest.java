package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sink faults against a real (embedded) PostgreSQL 14: runs in every build. */
class PostgresSinkFaultTest extends SinkFaultScenarios {

    @Override
    String url() {
        return TestSinks.postgresUrl();
    }

    @Override
    String otherLayoutDdl(String table) {
        return "CREATE TABLE \"" + table + "\" (data JSONB)";
    }

    /** PostgreSQL cannot key a table by fields of a JSON object: the equivalent keys by the canonical item key. */
    @Override
    String referenceDdl(String table) {
        return "CREATE TABLE \"" + table + "\" (\"key\" TEXT PRIMARY KEY, pk JSONB NOT NULL, data JSONB, aux JSONB)";
    }

    @Override
    void insertReferenceRow(Statement st, String table, String device, double temperature) throws SQLException {
        Map<String, DynamoValue> key = new LinkedHashMap<>();
        key.put("device", new DynamoValue.Str(device));
        key.put("timestamp", new DynamoValue.Str(TS));
        String pk = "{\"device\":\"" + device + "\",\"timestamp\":\"" + TS + "\"}";
        st.execute("INSERT INTO \"" + table + "\" VALUES ('" + ItemKey.of(key).canonical().replace("'", "''") + "', '"
                + pk + "', '{\"device\":\"" + device + "\",\"timestamp\":\"" + TS + "\",\"temperature\":" + temperature
                + "}', '{}')");
    }

    @Test
    void aUserWithoutWritePrivilegesFailsTheBatchAndAGrantClearsIt() throws Exception {
        String table = table("sf-grant");
        // The table exists in the relay's layout (made by a privileged relay), the relay's own user may only read it.
        assertTrue(apply(relay(table, Map.of()), readings("seed", 1)).fullyHandled());
        sql("DROP ROLE IF EXISTS sf_reader", "CREATE ROLE sf_reader LOGIN PASSWORD 'sf-reader-pw'",
                "GRANT SELECT ON \"" + table + "\", \"" + table + "_tombstones\" TO sf_reader");
        Relay relay = relay(table, Map.of("CRATEDB_USER", "sf_reader", "CRATEDB_PASSWORD", "sf-reader-pw"));
        List<IncomingRecord> batch = readings("p", 3);
        assertSinkFault(apply(relay, batch), table, "lacks a privilege", "permission denied", "GRANT SELECT, INSERT");

        sql("GRANT INSERT, UPDATE, DELETE ON \"" + table + "\", \"" + table + "_tombstones\" TO sf_reader");
        BatchResult again = apply(relay, batch);
        assertTrue(again.fullyHandled(), again.summary());
        assertEquals(3, again.applied(), again.summary());
        assertTrue(logs.stream().noneMatch(l -> l.contains("sf-reader-pw")), "the password is never logged");
    }

    @Test
    void aVersionColumnOfAnotherTypeIsAnotherLayout() throws Exception {
        String table = table("sf-vtype");
        sql("CREATE TABLE \"" + table + "\" (\"key\" TEXT PRIMARY KEY, pk JSONB NOT NULL, data JSONB, aux JSONB,"
                + " version BIGINT)");
        assertSinkFault(apply(relay(table, Map.of()), readings("v", 2)), table,
                "column version is BIGINT (expected version TEXT");
    }

    @Test
    void aUserWithoutAnyPrivilegeIsToldToGrantThem() throws Exception {
        String table = table("sf-none");
        assertTrue(apply(relay(table, Map.of()), readings("seed", 1)).fullyHandled());
        sql("DROP ROLE IF EXISTS sf_nobody", "CREATE ROLE sf_nobody LOGIN PASSWORD 'sf-nobody-pw'");
        Relay relay = relay(table, Map.of("CRATEDB_USER", "sf_nobody", "CRATEDB_PASSWORD", "sf-nobody-pw"));
        assertSinkFault(apply(relay, readings("n", 2)), table, "no privilege", "GRANT SELECT, INSERT, UPDATE, DELETE");
    }
}
