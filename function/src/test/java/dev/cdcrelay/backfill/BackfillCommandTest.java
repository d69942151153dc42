package dev.cdcrelay.backfill;

import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackfillCommandTest {

    /** Recent, so that the tombstone-retention check passes whenever the test runs. */
    private static final Instant EXPORT_TIME = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String table = TestSinks.freshTable("backfill-cli");

    @TempDir
    Path tmp;

    private int run(Map<String, String> env, boolean terminal, String... args) {
        return BackfillCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), table));
        env.put("RELAY_KEY_SCHEMA", "id:S");
        return env;
    }

    private static List<Map<String, Object>> items(String prefix, int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Map.of("id", prefix + i, "n", new BigDecimal(i)));
        }
        return items;
    }

    private int rows() throws Exception {
        return SinkRow.readAll(TestSinks.postgresUrl(), table, false).size();
    }

    @Test
    void loadsAnExportWithTwoLoadersAndShowsProgressOnATerminal() throws Exception {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 700)).emptyFile().file(items("b", 500))
                .file(items("c", 3)).write();
        int code = run(env(), true, "backfill", dir.toString(), "--stream-enabled-at=" + EXPORT_TIME.minus(Duration.ofDays(1)),
                "--loaders=2", "--batch=250");
        assertEquals(0, code, out + "\n" + err);
        assertEquals("backfilled 1203 of 1203 item(s) from 4 file(s) (1203 read); problems: 0\n", out.toString());
        assertTrue(err.toString().contains("backfill: 1,203 of 1,203 items (100.0%), "), err.toString());
        assertTrue(err.toString().contains("\r\033[K"), "the progress line rewrites itself on a terminal");
        assertEquals(1203, rows());
    }

    @Test
    void withoutATerminalThereIsNoProgressLineAndProblemsExitWith1NamingFileAndLine() throws Exception {
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 2))
                .lines(List.of("{\"Item\":{\"id\":{\"S\":\"x\"}}}", "{\"Item\":{}}"));
        Path dir = writer.write();
        assertEquals(1, run(env(), false, "backfill", dir.toString(), "--unchecked"));
        assertEquals("backfilled 3 of 4 item(s) from 2 file(s) (4 read); problems: 1\n  " + writer.dataFiles().get(1)
                + " line 2: the item lacks key attribute 'id' (the key schema is [id])\n", out.toString());
        assertTrue(!err.toString().contains(" items/s"), err.toString());
        assertEquals(3, rows());
    }

    @Test
    void aRunGivenTheFinishedListSkipsTheFilesAnEarlierRunLoadedCompletely() throws Exception {
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 4))
                .lines(List.of("{\"Item\":{\"id\":{\"S\":\"x\"}}}", "{\"Item\":{}}")).file(items("c", 3));
        Path dir = writer.write();
        Path finished = tmp.resolve("finished.txt");
        assertEquals(1, run(env(), false, "backfill", dir.toString(), "--unchecked", "--finished-list=" + finished));
        assertEquals(new TreeSet<>(List.of(writer.dataFiles().get(0), writer.dataFiles().get(2))),
                new TreeSet<>(Files.readAllLines(finished)), "only the files loaded without a problem are listed");
        out.reset();
        assertEquals(1, run(env(), false, "backfill", dir.toString(), "--unchecked", "--finished-list=" + finished));
        assertEquals("backfilled 1 of 9 item(s) from 3 file(s) (2 read; 2 file(s) with 7 item(s) finished by an"
                + " earlier run); problems: 1\n  " + writer.dataFiles().get(1)
                + " line 2: the item lacks key attribute 'id' (the key schema is [id])\n", out.toString());
        assertEquals(8, rows());
    }

    @Test
    void aStreamEnabledAfterTheSnapshotIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 2)).write();
        assertEquals(2, run(env(), false, "backfill", dir.toString(), "--stream-enabled-at=" + EXPORT_TIME.plusSeconds(30)));
        assertEquals("backfill: the stream was enabled at " + EXPORT_TIME.plusSeconds(30) + ", after the snapshot ("
                + EXPORT_TIME + "): changes made in between are in neither; take a new export (or Scan) after the"
                + " stream was enabled\n", err.toString());
    }

    @Test
    void anOldExportIsRefusedBecauseTombstonesMayBeGone() {
        Path dir = new ExportWriter(tmp, Instant.now().minus(Duration.ofDays(10))).file(items("a", 1)).write();
        assertEquals(2, run(env(), false, "backfill", dir.toString(), "--unchecked"));
        assertTrue(err.toString().contains("is older than the sink's tombstone retention"), err.toString());
    }

    @Test
    void usageAndConfigurationProblemsExitWith2AndSayWhy() {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 1)).write();
        assertEquals(2, run(env(), false, "backfill", dir.toString()));
        assertTrue(err.toString().startsWith("backfill: give --stream-enabled-at=<when the table's Kinesis streaming"
                + " destination became active>"), err.toString());

        err.reset();
        Map<String, String> noKeys = env();
        noKeys.remove("RELAY_KEY_SCHEMA");
        assertEquals(2, run(noKeys, false, "backfill", dir.toString(), "--unchecked"));
        assertTrue(err.toString().startsWith("backfill: RELAY_KEY_SCHEMA is required for a backfill"), err.toString());

        err.reset();
        assertEquals(2, run(env(), false, "backfill", dir.toString(), "--unchecked", "--loaders=99"));
        assertEquals("backfill: --loaders must be a whole number from 1 to 16, got '99'\n", err.toString());

        err.reset();
        assertEquals(2, run(env(), false, "backfill", tmp.resolve("nothing").toString(), "--unchecked"));
        assertTrue(err.toString().contains("nothing: not a directory"), err.toString());
    }

    @Test
    void theProgressLineGivesDoneOfTotalRateAndTimeLeft() {
        assertEquals("500 of 1,000 items (50.0%), 50 items/s, ETA 0:00:10",
                ProgressLine.format(500, 1000, Duration.ofSeconds(10)));
        assertEquals("0 of 1,000 items (0.0%), 0 items/s, ETA --:--:--", ProgressLine.format(0, 1000, Duration.ZERO));
        assertEquals("0 of 0 items (100.0%), 0 items/s, ETA --:--:--", ProgressLine.format(0, 0, Duration.ofSeconds(1)));
        assertEquals("1:01:01", ProgressLine.clock(Duration.ofSeconds(3661)));
    }
}
