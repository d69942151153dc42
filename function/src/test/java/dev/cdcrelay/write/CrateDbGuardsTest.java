package dev.cdcrelay.write;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the concurrent-writer protocol relies on CrateDB for, checked on the real thing with the
 * dialect's own SQL, each right after a write and without REFRESH: that these reads are real time
 * and that the optimistic delete removes exactly the state it read and nothing newer. Runs when
 * {@code CRATEDB_JDBC_URL} is set.
 */
class CrateDbGuardsTest {

    private static final CrateDbDialect DIALECT = new CrateDbDialect();
    private static final KeySchema KEYS = KeySchema.parse("id:S", "test");
    private static TableName rows;
    private static TableName tombstones;
    /**
     * One connection for the class: on a cluster, a second connection may reach a node that has
     * not applied the CREATE TABLE yet ("Relation unknown").
     */
    private static Connection session;

    @BeforeAll
    static void tables() throws Exception {
        if (TestSinks.cratedbUrl() == null) {
            System.out.println("[guards] " + TestSinks.CRATEDB_SKIP_REASON);
            return; // each test is then skipped by needsCrateDb, and counted as skipped
        }
        String name = TestSinks.freshTable("guards");
        rows = TableName.parse(name, "test");
        tombstones = TableName.parse(name + "_tombstones", "test");
        session = TestSinks.connect(TestSinks.cratedbUrl());
        try (Statement st = session.createStatement()) {
            for (String ddl : DIALECT.createTables(rows, tombstones, KEYS, DeclaredTypes.NONE)) {
                st.execute(ddl);
            }
        }
    }

    /** Per test, so that a run without CrateDB counts every test as skipped (not "Tests run: 0"). */
    @org.junit.jupiter.api.BeforeEach
    void needsCrateDb() {
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
    }

    @AfterAll
    static void drop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (rows != null) {
            TestSinks.dropTables(TestSinks.cratedbUrl(), rows.table());
        }
    }

    private static PlannedRow.Delete delete(String id, String version) {
        ItemKey key = ItemKey.of(Map.of("id", new DynamoValue.Str(id)));
        return new PlannedRow.Delete(key, null, List.of(id), version);
    }

    private static void insert(Connection c, String id, String version) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + rows.sql()
                + " (\"pk\", \"data\", \"aux\", \"version\") VALUES (?::OBJECT, '{}'::OBJECT, '{}'::OBJECT, ?)"
                + " ON CONFLICT (\"pk\"['id']) DO UPDATE SET \"version\" = excluded.\"version\"")) {
            ps.setString(1, "{\"id\":\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            ps.setString(2, version);
            assertEquals(1, ps.executeUpdate());
        }
    }

    /** Every row of the 40-key OR lookup, by canonical key. */
    private static Map<String, StoredRow> read(Connection c, List<PlannedRow> keys) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(DIALECT.currentVersionsSql(rows, KEYS, keys.size()))) {
            DIALECT.bindKeyLookup(ps, KEYS, keys);
            return storedRows(ps);
        }
    }

    /** The rows a version lookup returns, by canonical key. */
    private static Map<String, StoredRow> storedRows(PreparedStatement lookup) throws Exception {
        Map<String, StoredRow> found = new java.util.HashMap<>();
        try (ResultSet rs = lookup.executeQuery()) {
            while (rs.next()) {
                found.put(DIALECT.readCanonicalKey(rs, KEYS), DIALECT.readStoredRow(rs, KEYS));
            }
        }
        return found;
    }

    @Test
    void aRowWrittenAMomentAgoIsReadWithItsRevisionByTheFortyKeyLookup() throws Exception {
        assertEachRowIsReadRightAfterItsWrite("fresh-", DIALECT.keysPerVersionLookup(), 1,
                keys -> read(session, keys));
    }

    /**
     * The first read before a delete: by {@code _id}, a thousand ids in one literal, real time as the
     * key lookup is. The keys hold what a literal must carry through: a quote, a backslash, non-ASCII.
     */
    @Test
    void aRowWrittenAMomentAgoIsReadWithItsRevisionByTheIdLookupOfAThousand() throws Exception {
        assertEachRowIsReadRightAfterItsWrite("by-id-o'neil-\\-ü-", DIALECT.keysPerIdLookup(), 37, keys -> {
            try (PreparedStatement ps = DIALECT.prepareVersionLookupById(session, rows, KEYS, keys).orElseThrow()) {
                return storedRows(ps);
            }
        });
    }

    private interface Lookup {
        Map<String, StoredRow> read(List<PlannedRow> keys) throws Exception;
    }

    /** 20 rounds: write one of {@code count} keys, then read all of them at once, without REFRESH. */
    private static void assertEachRowIsReadRightAfterItsWrite(String prefix, int count, int step, Lookup lookup)
            throws Exception {
        List<PlannedRow> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(delete(prefix + i, "v"));
        }
        for (int round = 0; round < 20; round++) {
            String id = prefix + (round * step % count);
            insert(session, id, "v" + round);
            StoredRow seen = lookup.read(keys).get(delete(id, "v").key().canonical());
            assertEquals("v" + round, seen == null ? "missing" : seen.version(), "round " + round);
            assertEquals(2, seen.revision().size());
        }
    }

    @Test
    void theOptimisticDeleteRemovesOnlyTheStateItRead() throws Exception {
        PlannedRow.Delete d = delete("occ", "v9");
        insert(session, "occ", "v1");
        StoredRow stale = read(session, List.of(d)).get(d.key().canonical());
        insert(session, "occ", "v2"); // another writer, between the read and the delete
        StoredRow current = read(session, List.of(d)).get(d.key().canonical());
        assertNotEquals(stale.revision(), current.revision());
        String sql = DIALECT.deleteUnlessNewerSql(rows, KEYS);
        try (PreparedStatement ps = session.prepareStatement(sql)) {
            DIALECT.bindDeleteUnlessNewer(ps, d, stale);
            ps.addBatch();
            int[] counts = ps.executeBatch();
            assertTrue(counts[0] != 1, "a stale revision deleted the row: " + counts[0]);
        }
        assertEquals("v2", read(session, List.of(d)).get(d.key().canonical()).version(), "the newer row stays");
        try (PreparedStatement ps = session.prepareStatement(sql)) {
            DIALECT.bindDeleteUnlessNewer(ps, d, current);
            ps.addBatch();
            assertArrayEquals(new int[]{1}, ps.executeBatch());
        }
        assertFalse(read(session, List.of(d)).containsKey(d.key().canonical()), "deleted, and the read sees it at once");
    }

    /** Keys with a quote, a backslash and non-ASCII text, as above. */
    @Test
    void aTombstoneWrittenAMomentAgoIsFoundAmongAThousandKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(delete("t-o'neil-\\-ü-" + i, "v").key().canonical());
        }
        for (int round = 0; round < 10; round++) {
            String key = keys.get(round * 97);
            try (PreparedStatement ps = session.prepareStatement(DIALECT.tombstoneUpsertSql(tombstones))) {
                ps.setString(1, key);
                ps.setString(2, "v" + round);
                ps.setTimestamp(3, new java.sql.Timestamp(System.currentTimeMillis()));
                assertEquals(1, ps.executeUpdate());
            }
            String found = "missing";
            try (PreparedStatement ps = DIALECT.prepareTombstoneLookup(session, tombstones, keys);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(key)) {
                        found = rs.getString(2);
                    }
                }
            }
            assertEquals("v" + round, found, "round " + round);
        }
    }

    /**
     * The version guard inside the conflict action, right after each write: an older change than
     * the stored row's loses, a newer or equal one wins, and a row without a version (NULL: the
     * comparison is NULL, which a CASE takes as not true) takes any change, as an absent row does.
     */
    @Test
    void theGuardedUpsertKeepsOnlyANewerStoredRow() throws Exception {
        String[][] stored = {{"g-null", null}, {"g-old", "0002"}, {"g-same", "0005"}, {"g-new", "0009"}};
        for (String[] row : stored) {
            try (PreparedStatement ps = session.prepareStatement("INSERT INTO " + rows.sql()
                    + " (\"pk\", \"data\", \"aux\", \"version\") VALUES (?::OBJECT, ?::OBJECT, '{}'::OBJECT, ?)")) {
                ps.setString(1, "{\"id\":\"" + row[0] + "\"}");
                ps.setString(2, "{\"v\":\"stored\"}");
                ps.setString(3, row[1]);
                assertEquals(1, ps.executeUpdate());
            }
        }
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("g-null", "incoming 0005");
        expected.put("g-old", "incoming 0005");
        expected.put("g-same", "incoming 0005");
        expected.put("g-new", "stored 0009");
        expected.put("g-absent", "incoming 0005");
        for (String id : expected.keySet()) {
            try (PreparedStatement ps = session.prepareStatement(DIALECT.upsertSql(rows, KEYS))) {
                // bindUpsert's parameters: pk, data, aux, version
                ps.setString(1, "{\"id\":\"" + id + "\"}");
                ps.setString(2, "{\"v\":\"incoming\"}");
                ps.setString(3, "{}");
                ps.setString(4, "0005");
                assertEquals(1, ps.executeUpdate(), id);
            }
            try (PreparedStatement ps = session.prepareStatement("SELECT \"data\"['v'], \"version\" FROM "
                    + rows.sql() + " WHERE \"pk\"['id'] = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), id + " is there at once");
                    assertEquals(expected.get(id), rs.getString(1) + " " + rs.getString(2), id);
                }
            }
        }
    }
}
