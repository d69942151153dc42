package dev.cdcrelay.replay;

import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay of a directory in chunks into CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class ReplayIntoCrateDbTest {

    @Test
    void aDirectoryReplaysInChunksIntoCrateDb(@TempDir Path dir) throws Exception {
        String url = TestSinks.cratedbUrl();
        String table = TestSinks.freshTable("replay-crate");
        ReplayFixtures.eventFiles(dir, "crate", 4, 3);
        ReplayFixtures.Run run = new ReplayFixtures.Run();
        try {
            int code = run.command(TestSinks.env(url, table), "replay", "--chunk", "5", dir.toString());

            assertEquals(0, code, run.both());
            assertTrue(run.out().startsWith("replayed 12 record(s): applied=12 skipped=0 deadLettered=0 failed=0\n"
                    + "4 of 4 input(s) fully handled"), run.both());
            try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
                st.execute("REFRESH TABLE \"" + table + "\""); // reads are eventually consistent otherwise
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    rs.next();
                    assertEquals(12, rs.getLong(1));
                }
            }
        } finally {
            TestSinks.dropTables(url, table);
        }
    }
}
