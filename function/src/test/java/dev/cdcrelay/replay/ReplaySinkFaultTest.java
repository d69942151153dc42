package dev.cdcrelay.replay;

import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay command against a sink at fault (issue 10's "done when"): a hand-made table in
 * another layout, and on CrateDB a write-blocked table, make it exit non-zero, name the table and
 * dead-letter nothing; the three duplicates of one change add up.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.cdcrelay.testing.ExpectedFailureOutput.class)
class ReplaySinkFaultTest {

    private final List<String[]> created = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void dropTables() throws Exception {
        for (String[] urlAndTable : created) {
            TestSinks.dropTables(urlAndTable[0], urlAndTable[1]);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run replay(String url, String table, String... lines) throws Exception {
        Path file = dir.resolve("changes-" + System.nanoTime() + ".ndjson");
        Files.writeString(file, String.join("\n", lines) + "\n");
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.put("RELAY_DEAD_LETTER_DIR", dir.resolve("dead-letters").toString());
        env.put("RELAY_MAX_ATTEMPTS", "2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReplayCommand.run(new String[]{"replay", file.toString()}, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("[proof] replay into " + table + " exit=" + code + "\n" + run.out());
        return run;
    }

    private String table(String url, String prefix) {
        String t = TestSinks.freshTable(prefix);
        created.add(new String[]{url, t});
        return t;
    }

    private long deadLetters() throws Exception {
        Path dl = dir.resolve("dead-letters");
        if (!Files.isDirectory(dl)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dl)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    private static String change(String device) {
        return ChangeJson.insert().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("device", device).set("timestamp", "2024-07-12T01:17:42").set("t", 1).toJson();
    }

    private void sql(String url, String statement) throws Exception {
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void aTableInAnotherLayoutExitsNonZeroNamesTheTableAndDeadLettersNothing() throws Exception {
        String url = TestSinks.postgresUrl();
        String table = table(url, "replay-other");
        sql(url, "CREATE TABLE \"" + table + "\" (data JSONB)");
        Run run = replay(url, table, change("a"), change("b"), change("c"));
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("replayed 3 record(s): applied=0 skipped=0 deadLettered=0 failed=3"), run.out());
        assertTrue(run.out().contains("sink fault on table " + table), run.out());
        assertEquals(0, deadLetters());
    }

    @Test
    void threeDuplicatesOfOneChangeAddUp() throws Exception {
        String url = TestSinks.postgresUrl();
        String table = table(url, "replay-dups");
        Run run = replay(url, table, change("d"), change("d"), change("d"));
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("replayed 3 record(s): applied=1 skipped=2 deadLettered=0 failed=0"), run.out());
    }

    @Test
    void aWriteBlockedCrateDbTableExitsNonZeroNamesTheTableAndDeadLettersNothing() throws Exception {
        String url = TestSinks.cratedbUrl();
        if (url == null) {
            System.out.println(TestSinks.CRATEDB_SKIP_REASON);
        }
        Assumptions.assumeTrue(url != null, TestSinks.CRATEDB_SKIP_REASON);
        String table = table(url, "replay-blocked");
        assertEquals(0, replay(url, table, change("first")).code());
        sql(url, "ALTER TABLE \"" + table + "\" SET (\"blocks.write\" = true)");
        try {
            Run run = replay(url, table, change("a"), change("a"), change("a"));
            assertEquals(1, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("replayed 3 record(s): applied=0 skipped=0 deadLettered=0 failed=3"), run.out());
            assertTrue(run.out().contains("sink fault on table " + table) && run.out().contains("blocks.write is set"),
                    run.out());
            assertEquals(0, deadLetters());
        } finally {
            sql(url, "ALTER TABLE \"" + table + "\" RESET (\"blocks.write\")");
        }
    }
}
