package dev.cdcrelay.replay;

import dev.cdcrelay.testing.SeedRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return ReplayCommand.run(args, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void replaysNdjsonChangeRecordsIntoTheSink(@TempDir Path dir) throws Exception {
        String table = TestSinks.freshTable("replay");
        Path file = dir.resolve("changes.ndjson");
        Files.writeString(file, SeedRecords.insert().toJson() + "\n\n" + SeedRecords.modify().toJson() + "\n");
        int code = run(TestSinks.env(TestSinks.postgresUrl(), table), "replay", file.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("replayed 2 record(s): applied=1 skipped=1 deadLettered=0 failed=0"),
                "the insert is superseded by the modify of the same item in the batch: skipped; " + out);
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT data->>'temperature' FROM \"" + table + "\"")) {
            assertTrue(rs.next());
            assertEquals("43.59", rs.getString(1));
        }
    }

    @Test
    void badUsageInputAndConfigurationExitWith2AndSayWhy(@TempDir Path dir) throws Exception {
        assertEquals(2, run(Map.of(), "replay"));
        assertTrue(err.toString().contains("usage: java -jar function.jar replay"));

        err.reset();
        assertEquals(2, run(Map.of(), "replay", dir.resolve("missing.json").toString()));
        assertTrue(err.toString().contains("missing.json"), err.toString());

        Path file = dir.resolve("x.ndjson");
        Files.writeString(file, SeedRecords.insert().toJson() + "\n");
        err.reset();
        Map<String, String> env = new HashMap<>();
        env.put("CRATEDB_TABLE", "t");
        assertEquals(2, run(env, "replay", file.toString()));
        assertTrue(err.toString().contains("CRATEDB_JDBC_URL: is required"), err.toString());
    }
}
