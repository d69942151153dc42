package dev.cdcrelay.write;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL's delete-unless-newer decides inside the statement: a row that another writer made
 * newer after this writer read it stays, whatever the read said.
 */
class PostgresGuardsTest {

    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final KeySchema KEYS = KeySchema.parse("id:S", "test");
    private static TableName rows;

    @BeforeAll
    static void tables() throws Exception {
        String name = TestSinks.freshTable("guards");
        rows = TableName.parse(name, "test");
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement()) {
            for (String ddl : DIALECT.createTables(rows, TableName.parse(name + "_tombstones", "test"), KEYS,
                    DeclaredTypes.NONE)) {
                st.execute(ddl);
            }
        }
    }

    private static PlannedRow.Delete delete(String id, String version) {
        ItemKey key = ItemKey.of(Map.of("id", new DynamoValue.Str(id)));
        return new PlannedRow.Delete(key, null, List.of(id), version);
    }

    private static void store(Connection c, PlannedRow.Delete at) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + rows.sql()
                + " (\"key\", \"pk\", \"data\", \"aux\", \"version\") VALUES (?, '{}', '{}', '{}', ?)"
                + " ON CONFLICT (\"key\") DO UPDATE SET \"version\" = excluded.\"version\"")) {
            ps.setString(1, at.key().canonical());
            ps.setString(2, at.version());
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static int deleteUnlessNewer(Connection c, PlannedRow.Delete d, StoredRow seen) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(DIALECT.deleteUnlessNewerSql(rows, KEYS))) {
            DIALECT.bindDeleteUnlessNewer(ps, d, seen);
            ps.addBatch();
            return ps.executeBatch()[0];
        }
    }

    private static String version(Connection c, PlannedRow.Delete d) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(DIALECT.currentVersionsSql(rows, KEYS, 1))) {
            DIALECT.bindKeyLookup(ps, KEYS, List.of(d));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? DIALECT.readStoredRow(rs, KEYS).version() : "absent";
            }
        }
    }

    @Test
    void aRowMadeNewerAfterTheReadStays() throws Exception {
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl())) {
            PlannedRow.Delete remove = delete("raced", "0002");
            store(c, delete("raced", "0001"));
            StoredRow seen = new StoredRow(version(c, remove), List.of());
            store(c, delete("raced", "0003")); // another writer, between the read and the delete
            assertEquals(0, deleteUnlessNewer(c, remove, seen));
            assertEquals("0003", version(c, remove));
        }
    }

    @Test
    void aRowNotNewerThanTheDeleteGoes() throws Exception {
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl())) {
            PlannedRow.Delete remove = delete("plain", "0002");
            store(c, delete("plain", "0002"));
            StoredRow seen = new StoredRow(version(c, remove), List.of());
            assertEquals(1, deleteUnlessNewer(c, remove, seen));
            assertEquals("absent", version(c, remove));
        }
    }
}
