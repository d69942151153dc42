package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sink faults against CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class CrateDbSinkFaultTest extends SinkFaultScenarios {

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }

    @Override
    boolean crate() {
        return true;
    }

    @Override
    String otherLayoutDdl(String table) {
        return "CREATE TABLE \"" + table + "\" (data OBJECT(DYNAMIC))";
    }

    /**
     * The reference tooling's DDL as its translator writes it for a device/timestamp key
     * (commons-codec: one {@code "name" STRING PRIMARY KEY} per key attribute), with the strict
     * column policy the table had.
     */
    @Override
    String referenceDdl(String table) {
        return "CREATE TABLE IF NOT EXISTS \"" + table + "\" (pk OBJECT(STRICT) AS (\"device\" STRING PRIMARY KEY,"
                + " \"timestamp\" STRING PRIMARY KEY), data OBJECT(DYNAMIC), aux OBJECT(IGNORED))"
                + " WITH (column_policy = 'strict')";
    }

    @Override
    void insertReferenceRow(Statement st, String table, String device, double temperature) throws SQLException {
        st.execute("INSERT INTO \"" + table + "\" (pk, data, aux) VALUES ({device='" + device + "', \"timestamp\"='" + TS
                + "'}, {device='" + device + "', \"timestamp\"='" + TS + "', temperature=" + temperature + "}, {})");
    }

    private void blockedTableFailsTheBatchAndApplyAfterReset(String setting) throws Exception {
        String table = table("sf-block");
        Relay relay = relay(table, Map.of());
        assertTrue(apply(relay, readings("before", 1)).fullyHandled());
        sql("ALTER TABLE \"" + table + "\" SET (\"" + setting + "\" = true)");
        List<IncomingRecord> batch = readings("b", 3);
        try {
            assertSinkFault(apply(relay, batch), table, "writes to the table are blocked", setting + " is set",
                    "RESET (\"" + setting + "\")");
        } finally {
            sql("ALTER TABLE \"" + table + "\" RESET (\"" + setting + "\")");
        }
        BatchResult again = apply(relay, batch);
        assertTrue(again.fullyHandled(), again.summary());
        assertEquals(3, again.applied(), again.summary());
        assertEquals(4, rows(table).size());
    }

    @Test
    void aWriteBlockedTableFailsTheBatchAndTheSameRecordsApplyOnceLifted() throws Exception {
        blockedTableFailsTheBatchAndApplyAfterReset("blocks.write");
    }

    @Test
    void aReadOnlyAllowDeleteTableFailsTheBatchAndTheSameRecordsApplyOnceLifted() throws Exception {
        blockedTableFailsTheBatchAndApplyAfterReset("blocks.read_only_allow_delete");
    }

    @Test
    void anAdoptionThatStoppedHalfWayIsCompletedOnTheNextStart() throws Exception {
        String table = table("sf-halfway");
        sql(referenceDdl(table));
        try (java.sql.Connection c = TestSinks.connect(url()); Statement st = c.createStatement()) {
            insertReferenceRow(st, table, "h0", 1.5);
            insertReferenceRow(st, table, "h1", 2.5);
        }
        // The ALTER ran, the backfill did not (a timeout, a crash): the rows read version NULL.
        sql("ALTER TABLE \"" + table + "\" ADD COLUMN \"version\" TEXT DEFAULT ''", "REFRESH TABLE \"" + table + "\"");
        Relay relay = relay(table, Map.of());
        BatchResult r = apply(relay, List.of(
                record(dev.cdcrelay.testing.ChangeJson.remove().key("device", "h0").key("timestamp", TS).micros(T0)),
                record(reading("h1", T0, new java.math.BigDecimal("9.75")))));
        assertTrue(r.fullyHandled(), r.summary());
        var rows = rows(table);
        assertEquals(List.of("h1"), List.copyOf(rows.keySet()), "h0 deleted, h1 replaced: " + rows);
        assertEquals(0, new java.math.BigDecimal("9.75").compareTo(rows.get("h1").exactNumber("temperature")));
    }

    @Test
    void aUserWhoMayOnlyReadFailsTheBatchAndAGrantClearsIt() throws Exception {
        String table = table("sf-grant");
        assertTrue(apply(relay(table, Map.of()), readings("seed", 1)).fullyHandled());
        String user = "sf_reader_" + ProcessHandle.current().pid();
        sql("CREATE USER " + user + " WITH (password = 'sf-reader-pw')",
                "GRANT DQL ON TABLE \"" + table + "\" TO " + user,
                "GRANT DQL ON TABLE \"" + table + "_tombstones\" TO " + user);
        try {
            Relay relay = relay(table, Map.of("CRATEDB_USER", user, "CRATEDB_PASSWORD", "sf-reader-pw"));
            List<IncomingRecord> batch = readings("p", 3);
            assertSinkFault(apply(relay, batch), table, "lacks a privilege", "Missing 'DML' privilege", "GRANT DQL, DML");
            sql("GRANT DML ON TABLE \"" + table + "\" TO " + user, "GRANT DML ON TABLE \"" + table + "_tombstones\" TO " + user);
            BatchResult again = apply(relay, batch);
            assertTrue(again.fullyHandled(), again.summary());
            assertEquals(3, again.applied(), again.summary());
            assertTrue(logs.stream().noneMatch(l -> l.contains("sf-reader-pw")), "the password is never logged");
        } finally {
            sql("DROP USER IF EXISTS " + user);
        }
    }

    @Test
    void aRefusedLoginFailsTheBatchWithoutRetryingAndNeverLogsThePassword() throws Exception {
        String table = table("sf-login");
        String user = "sf_login_" + ProcessHandle.current().pid();
        sql("CREATE USER " + user + " WITH (password = 'the-right-pw')");
        try {
            Relay relay = relay(table, Map.of("CRATEDB_USER", user, "CRATEDB_PASSWORD", "sf-wrong-pw"));
            BatchResult r = apply(relay, readings("l", 2));
            assertSinkFault(r, table, "refused the login", "CRATEDB_USER");
            assertEquals(1, r.writer().attempts, "a refused login is not retried in place: " + r.summary());
            assertTrue(logs.stream().noneMatch(l -> l.contains("sf-wrong-pw")), "the password is never logged");
        } finally {
            sql("DROP USER IF EXISTS " + user);
        }
    }
}
