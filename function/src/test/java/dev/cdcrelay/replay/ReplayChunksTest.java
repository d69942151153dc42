package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How replay reads many inputs in chunks, and what it does and prints when records fail. */
class ReplayChunksTest {

    private final ReplayFixtures.Run run = new ReplayFixtures.Run();

    @Test
    void aDirectoryIsAppliedInChunksThatSpanFilesEachRecordCountedOnce(@TempDir Path dir) throws Exception {
        String table = TestSinks.freshTable("replay-chunks");
        ReplayFixtures.eventFiles(dir, "chunked", 5, 3);

        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", "--chunk", "4", dir.toString());

        assertEquals(0, code, run.both());
        assertTrue(run.out().startsWith("replayed 15 record(s): applied=15 skipped=0 deadLettered=0 failed=0\n"
                + "5 of 5 input(s) fully handled, in "), run.both());
        assertFalse(run.out().contains("replay these again"), run.both());
        assertEquals(15, ReplayFixtures.rows(table));
    }

    @Test
    void whenTheSinkIsDownItStopsAfterThreeFailedChunksAndListsWhatToReplay(@TempDir Path dir) throws Exception {
        List<Path> files = ReplayFixtures.eventFiles(dir, "down", 6, 2);

        int code = run.command(ReplayFixtures.sinkDownEnv("replay-down"), "replay", "--chunk", "2", dir.toString());

        assertEquals(1, code, run.both());
        String out = run.out();
        assertTrue(out.startsWith("replayed 6 record(s): applied=0 skipped=0 deadLettered=0 failed=6\n"
                + "0 of 6 input(s) fully handled"), out);
        assertTrue(out.contains("stopped after 3 chunk(s) with records not applied (--max-failed-chunks 3; "
                + "--keep-going reads every input whatever fails)\n"), out);
        assertTrue(out.contains("not fully applied; replay these again"), out);
        for (Path file : files.subList(0, 3)) {
            assertTrue(out.contains("  " + file + "  (records not applied, the first: sequence number "), out);
        }
        for (Path file : files.subList(3, 6)) {
            assertTrue(out.contains("  " + file + "  (not started)\n"), out);
        }
    }

    @Test
    void theLimitOfFailedChunksIsSetByFlag(@TempDir Path dir) throws Exception {
        ReplayFixtures.eventFiles(dir, "limit", 4, 1);

        int code = run.command(ReplayFixtures.sinkDownEnv("replay-limit"), "replay", "--chunk", "1",
                "--max-failed-chunks", "1", dir.toString());

        assertEquals(1, code, run.both());
        assertTrue(run.out().startsWith("replayed 1 record(s): applied=0 skipped=0 deadLettered=0 failed=1\n"), run.out());
        assertEquals(3, run.out().lines().filter(l -> l.endsWith("(not started)")).count(), run.out());
    }

    @Test
    void keepGoingReadsEveryInputAndListsEveryOneNotApplied(@TempDir Path dir) throws Exception {
        List<Path> files = ReplayFixtures.eventFiles(dir, "going", 6, 2);

        int code = run.command(ReplayFixtures.sinkDownEnv("replay-going"), "replay", "--chunk", "2", "--keep-going",
                dir.toString());

        assertEquals(1, code, run.both());
        String out = run.out();
        assertTrue(out.startsWith("replayed 12 record(s): applied=0 skipped=0 deadLettered=0 failed=12\n"), out);
        assertFalse(out.contains("stopped"), out);
        assertFalse(out.contains("(not started)"), out);
        for (Path file : files) {
            assertTrue(out.contains("  " + file + "  (records not applied"), out);
        }
        assertTrue(out.contains("  reason: "), "the relay's reason is shown: " + out);
    }

    @Test
    void anInvalidInputStopsTheReplayAfterApplyingWhatCameBefore(@TempDir Path dir) throws Exception {
        String table = TestSinks.freshTable("replay-bad");
        List<Path> files = ReplayFixtures.eventFiles(dir, "bad", 3, 2);
        Files.writeString(files.get(1), "{\"Records\":[{\"kinesis\":{\"data\":\"e30=\"}}]}");

        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", dir.toString());

        assertEquals(2, code, run.both());
        String out = run.out();
        assertTrue(out.startsWith("replayed 2 record(s): applied=2 skipped=0 deadLettered=0 failed=0\n"), out);
        assertTrue(out.contains("stopped at invalid input: " + files.get(1)
                + ": Records[0].kinesis.sequenceNumber is missing\n"), out);
        assertTrue(out.contains("  " + files.get(1) + "  (" + files.get(1)
                + ": Records[0].kinesis.sequenceNumber is missing)\n"), out);
        assertTrue(out.contains("  " + files.get(2) + "  (not started)\n"), out);
        assertEquals(2, ReplayFixtures.rows(table));
    }

    /**
     * One event file of {@code valid} records of 1 KB each (many chunks, read ahead while the
     * chunks before are applied), then a record without its sequence number.
     */
    private static Path largeFileWithAnInvalidRecordAtTheEnd(Path dir, int valid) throws IOException {
        KinesisRecords sequence = new KinesisRecords();
        List<IncomingRecord> records = new ArrayList<>();
        for (int i = 0; i < valid; i++) {
            records.add(sequence.next(ReplayFixtures.change("large", i).set("notes", "x".repeat(1_000))));
        }
        String json = KinesisRecords.lambdaEventJson(records);
        return Files.writeString(dir.resolve("large.json"), json.substring(0, json.length() - 2)
                + ",{\"kinesis\":{\"data\":\"e30=\"}}]}");
    }

    @Test
    void aLargeInputReadAheadIsAppliedUpToItsInvalidSpotAndNoFurther(@TempDir Path dir) throws Exception {
        String table = TestSinks.freshTable("replay-ahead-bad");
        Path file = largeFileWithAnInvalidRecordAtTheEnd(dir, 1_500);

        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", "--chunk", "400",
                file.toString());

        assertEquals(2, code, run.both());
        String out = run.out();
        assertTrue(out.startsWith("replayed 1500 record(s): applied=1500 skipped=0 deadLettered=0 failed=0\n"), out);
        assertTrue(out.contains("stopped at invalid input: " + file
                + ": Records[1500].kinesis.sequenceNumber is missing\n"), out);
        assertEquals(1_500, ReplayFixtures.rows(table));
    }

    @Test
    void aLargeInputReadAheadStillStopsAtTheFailureLimitAndSaysWhereItStopped(@TempDir Path dir) throws Exception {
        Path file = largeFileWithAnInvalidRecordAtTheEnd(dir, 1_500);

        int code = run.command(ReplayFixtures.sinkDownEnv("replay-ahead-down"), "replay", "--chunk", "100",
                file.toString());

        assertEquals(1, code, run.both());
        String out = run.out();
        assertTrue(out.startsWith("replayed 300 record(s): applied=0 skipped=0 deadLettered=0 failed=300\n"
                + "0 of 1 input(s) fully handled"), out);
        assertTrue(out.contains("  " + file + "  (stopped before its end (300 record(s) read))\n"), out);
    }

    @Test
    void ndjsonFromStandardInputIsStreamedInChunks() throws Exception {
        String table = TestSinks.freshTable("replay-stdin");
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            ndjson.append(ReplayFixtures.change("stdin", i % 20).toJson()).append('\n');
        }
        run.stdin(ndjson.toString().getBytes(StandardCharsets.UTF_8));

        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", "--chunk", "10", "-");

        assertEquals(0, code, run.both());
        assertTrue(run.out().startsWith("replayed 25 record(s): applied=25 skipped=0 deadLettered=0 failed=0\n"
                + "1 of 1 input(s) fully handled"), run.out());
        assertEquals(20, ReplayFixtures.rows(table));
    }
}
