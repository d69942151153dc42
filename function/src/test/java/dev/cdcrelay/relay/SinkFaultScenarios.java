package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of the sink are never blamed on records: a table in another layout, a missing table
 * the relay may not create, a table in the reference tooling's layout (adopted in place, or
 * refused with the statements to run). The batch is reported, the reason names the table and the
 * fix, nothing is dead-lettered, and once the fault is cleared the same records apply.
 * Subclasses pick the database and say how its tables are made by hand.
 */
abstract class SinkFaultScenarios {

    static final AtomicLong SEQUENCE = new AtomicLong(2_000_000L);
    static final long T0 = 1_720_742_302_233_719L;
    static final String TS = "2024-07-12T01:17:42";

    abstract String url();

    /** A table made by hand the way the walkthrough shows: only a data column. */
    abstract String otherLayoutDdl(String table);

    /** The reference tooling's layout: pk (the key as primary key), data, aux, and no version. */
    abstract String referenceDdl(String table);

    /** One row as the reference processor writes it: numbers as doubles in data. */
    abstract void insertReferenceRow(Statement st, String table, String device, double temperature) throws SQLException;

    boolean crate() {
        return false;
    }

    @TempDir
    Path dir;
    final List<Relay> relays = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<String> tables = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        relays.forEach(Relay::close);
        for (String t : tables) {
            TestSinks.dropTables(url(), t);
        }
    }

    String table(String prefix) {
        String t = TestSinks.freshTable(prefix);
        tables.add(t);
        return t;
    }

    Relay relay(String table, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(TestSinks.env(url(), table));
        env.put("RELAY_DEAD_LETTER_DIR", dir.resolve("dead-letters").toString());
        env.put("RELAY_KEY_SCHEMA", "device:S,timestamp:S");
        env.put("RELAY_MAX_ATTEMPTS", "2");
        env.putAll(extra);
        Relay r = Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add);
        relays.add(r);
        return r;
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = TestSinks.connect(url()); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    static IncomingRecord record(ChangeJson change) {
        String seq = String.format("4954511524344703572546%034d", SEQUENCE.incrementAndGet());
        return new IncomingRecord(seq, change.partitionKey(), change.toBytes(), 0);
    }

    static ChangeJson reading(String device, long micros, BigDecimal temperature) {
        return ChangeJson.modify().key("device", device).key("timestamp", TS)
                .set("device", device).set("timestamp", TS).set("temperature", temperature).micros(micros);
    }

    static List<IncomingRecord> readings(String prefix, int n) {
        List<IncomingRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record(reading(prefix + i, T0 + i, new BigDecimal(i + ".25"))));
        }
        return out;
    }

    int deadLetterFiles() throws Exception {
        Path dl = dir.resolve("dead-letters");
        if (!Files.isDirectory(dl)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dl)) {
            return (int) files.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    /** The batch was reported (every record failed), the reason names the table and says what. */
    void assertSinkFault(BatchResult r, String table, String... says) throws Exception {
        assertEquals(r.received(), r.failed(), "every record is re-delivered: " + r.summary());
        assertEquals(0, r.deadLettered(), r.summary());
        assertEquals(0, deadLetterFiles(), "a fault of the sink never dead-letters a record");
        String reasons = String.join(" | ", r.failureReasons());
        System.out.println("[proof] " + getClass().getSimpleName() + ": " + r.counts() + " " + reasons);
        assertTrue(reasons.contains("sink fault on table " + table), reasons);
        for (String s : says) {
            assertTrue(reasons.contains(s), "'" + s + "' missing from: " + reasons);
        }
        assertTrue(logs.stream().anyMatch(l -> l.contains("sink fault on table " + table)), "logged: " + logs);
    }

    static BatchResult apply(Relay relay, List<IncomingRecord> batch) {
        return relay.apply(batch, Deadline.inMillis(60_000));
    }

    Map<String, SinkRow> rows(String table) throws Exception {
        Map<String, SinkRow> rows = new TreeMap<>();
        for (SinkRow row : SinkRow.readAll(url(), table, crate())) {
            rows.put(row.pk().path("device").asText(), row);
        }
        return rows;
    }

    boolean hasColumn(String table, String column) throws SQLException {
        try (Connection c = TestSinks.connect(url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = '"
                     + table + "' AND column_name = '" + column + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    // ---- scenarios ---------------------------------------------------------------------------

    @Test
    void aTableInAnotherLayoutFailsTheBatchNamesTheTableAndDeadLettersNothing() throws Exception {
        String table = table("sf-other");
        sql(otherLayoutDdl(table));
        Relay relay = relay(table, Map.of());
        List<IncomingRecord> batch = readings("o", 3);
        assertSinkFault(apply(relay, batch), table, "not in the layout the relay writes", "no column pk",
                "CRATEDB_TABLE", "drop or rename");

        sql("DROP TABLE \"" + table + "\"");
        BatchResult again = apply(relay, batch);
        assertTrue(again.fullyHandled(), "once the table is out of the way the same records apply: " + again.summary());
        assertEquals(3, again.applied(), again.summary());
        assertEquals(3, rows(table).size());
    }

    @Test
    void aMissingTableTheRelayMayNotCreateFailsWithTheStatementsToRun() throws Exception {
        String table = table("sf-missing");
        Relay relay = relay(table, Map.of("RELAY_CREATE_TABLE", "false"));
        List<IncomingRecord> batch = readings("m", 2);
        BatchResult r = apply(relay, batch);
        assertSinkFault(r, table, "does not exist", "CREATE TABLE IF NOT EXISTS", "RELAY_CREATE_TABLE=true");
        // The operator runs what the message says (the row table, then the tombstone table).
        for (int round = 0; round < 2 && !r.fullyHandled(); round++) {
            String reason = r.failureReasons().get(0);
            int from = reason.indexOf("create it: ") + "create it: ".length();
            sql(reason.substring(from, reason.indexOf("; or set RELAY_CREATE_TABLE", from)));
            r = apply(relay, batch);
        }
        assertTrue(r.fullyHandled(), r.summary());
        assertEquals(2, rows(table).size());
        assertEquals(0, deadLetterFiles());
    }

    @Test
    void theReferenceLayoutIsAdoptedInPlaceAndItsRowsTakeLaterChanges() throws Exception {
        String table = table("sf-adopt");
        sql(referenceDdl(table));
        try (Connection c = TestSinks.connect(url()); Statement st = c.createStatement()) {
            for (int i = 0; i < 100; i++) {
                insertReferenceRow(st, table, "r" + i, 20 + i + 0.5);
            }
            if (crate()) {
                st.execute("REFRESH TABLE \"" + table + "\"");
            }
        }
        Relay relay = relay(table, Map.of());
        // 100 later changes: 80 modify seeded items, 10 remove seeded items, 10 insert new items.
        List<IncomingRecord> batch = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            batch.add(record(reading("r" + i, T0 + i, new BigDecimal(i + ".125"))));
        }
        for (int i = 80; i < 90; i++) {
            batch.add(record(ChangeJson.remove().key("device", "r" + i).key("timestamp", TS).micros(T0 + i)));
        }
        for (int i = 0; i < 10; i++) {
            batch.add(record(reading("new" + i, T0 + i, new BigDecimal(i + ".5"))));
        }
        BatchResult r = apply(relay, batch);
        assertTrue(r.fullyHandled(), r.summary());
        assertEquals(100, r.applied(), r.summary());
        assertEquals(0, r.deadLettered(), r.summary());
        assertEquals(0, deadLetterFiles());
        assertTrue(hasColumn(table, "version"), "version was added");
        assertEquals(1, logs.stream().filter(l -> l.startsWith("adopted table " + table)).count(), "logged once: " + logs);
        logs.stream().filter(l -> l.startsWith("adopted table")).forEach(l -> System.out.println("[proof] " + l));
        System.out.println("[proof] reference adoption: seeded=100 changes=100 " + r.counts());

        Map<String, SinkRow> rows = rows(table);
        assertEquals(100, rows.size(), rows.keySet().toString());
        for (int i = 0; i < 80; i++) {
            assertEquals(0, new BigDecimal(i + ".125").compareTo(rows.get("r" + i).exactNumber("temperature")),
                    rows.get("r" + i).toString());
        }
        for (int i = 80; i < 90; i++) {
            assertFalse(rows.containsKey("r" + i), "r" + i + " was removed");
        }
        for (int i = 90; i < 100; i++) {
            assertEquals(0, new BigDecimal(20 + i + ".5").compareTo(rows.get("r" + i).exactNumber("temperature")),
                    "an untouched reference row is kept as it was: " + rows.get("r" + i));
        }
    }

    @Test
    void withCreateTableOffTheReferenceLayoutIsRefusedWithTheStatementsToAdd() throws Exception {
        String table = table("sf-noalter");
        sql(referenceDdl(table));
        Relay relay = relay(table, Map.of("RELAY_CREATE_TABLE", "false"));
        assertSinkFault(apply(relay, readings("n", 2)), table, "reference layout", "ALTER TABLE",
                "ADD COLUMN", "RELAY_CREATE_TABLE=false");
        assertFalse(hasColumn(table, "version"), "RELAY_CREATE_TABLE=false never alters the table");
    }

    @Test
    void aRecordOnlyThatRowCannotHoldIsStillDeadLetteredAlone() throws Exception {
        String table = table("sf-poison");
        Relay relay = relay(table, Map.of());
        IncomingRecord ok1 = record(reading("ok1", T0, BigDecimal.ONE));
        IncomingRecord bad = record(reading(hugeKey(), T0, BigDecimal.ONE));
        IncomingRecord ok2 = record(reading("ok2", T0, BigDecimal.TEN));
        BatchResult r = apply(relay, List.of(ok1, bad, ok2));
        assertTrue(r.fullyHandled(), r.summary());
        assertEquals(new RecordCounts(3, 2, 0, 1, 0), r.counts(), r.summary());
        assertEquals(1, deadLetterFiles());
    }

    /** A key far beyond any index limit (random, so that compression cannot shrink it). */
    static String hugeKey() {
        java.util.Random random = new java.util.Random(7);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            huge.append((char) ('a' + random.nextInt(26)));
        }
        return huge.toString();
    }

    @Test
    void countsAddUpForDuplicatesAndOlderChanges() throws Exception {
        String table = table("sf-counts");
        Relay relay = relay(table, Map.of());
        IncomingRecord change = record(reading("dup", T0 + 10, BigDecimal.ONE));
        IncomingRecord older = record(reading("dup", T0, BigDecimal.TEN));
        BatchResult r = apply(relay, List.of(change, change, change, older));
        assertEquals(new RecordCounts(4, 1, 3, 0, 0), r.counts(), "one applied, two duplicates and an older"
                + " change skipped: " + r.summary());
    }
}
