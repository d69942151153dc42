package dev.cdcrelay.replay;

import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay streams: a child JVM with a 64 MB heap replays a single event document and NDJSON on
 * standard input that are each larger than its whole heap, into the embedded PostgreSQL. Before,
 * replay read every record into one list and died with OutOfMemoryError on such input. (The
 * 1 GB / -Xmx256m figures come from the benchmark, see docs/performance-log.md, "Replay at size".)
 */
class ReplayStreamingTest {

    private static final int HEAP_MB = 64;
    private static final int RECORDS_PER_INPUT = 15_000;

    /** About 5 KB per change: 15,000 make more than 64 MB in either form. */
    private static ChangeJson change(String prefix, long n) {
        return ChangeJson.insert().key("device", prefix + "-" + n).key("timestamp", "2024-07-12T01:17:42")
                .set("temperature", n).set("notes", "x".repeat(5_000));
    }

    @Test
    void inputsLargerThanTheHeapReplayInAChildJvmWithASmallHeap(@TempDir Path dir) throws Exception {
        String table = TestSinks.freshTable("replay-stream");
        Path events = dir.resolve("events.json");
        Path ndjson = dir.resolve("changes.ndjson");
        long eventBytes = GeneratedInputs.eventDocument(events, 0, RECORDS_PER_INPUT, n -> change("event", n),
                new KinesisRecords());
        long ndjsonBytes = GeneratedInputs.ndjson(ndjson, 0, RECORDS_PER_INPUT, n -> change("line", n));
        assertTrue(eventBytes > HEAP_MB * 1024L * 1024 && ndjsonBytes > HEAP_MB * 1024L * 1024,
                "each input larger than the heap: " + eventBytes + " and " + ndjsonBytes + " bytes");

        ReplayJvm.Result result = ReplayJvm.run(System.getProperty("java.class.path"),
                List.of("-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC"), TestSinks.env(TestSinks.postgresUrl(), table),
                List.of("replay", events.toString(), "-"), ndjson, Files.createDirectories(dir.resolve("work")), 10);

        System.out.println("[replay] streamed " + (eventBytes + ndjsonBytes) / (1024 * 1024) + " MB with -Xmx" + HEAP_MB
                + "m in " + result.wallMillis() + " ms, heap peak " + result.peakHeapMb() + " MB, live " + result.liveHeapMb() + " MB");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("replayed 30000 record(s): applied=30000 skipped=0 deadLettered=0 failed=0\n"
                + "2 of 2 input(s) fully handled"), result.output());
        assertEquals(2L * RECORDS_PER_INPUT, ReplayFixtures.rows(table));
        assertTrue(result.peakHeapMb().orElseThrow() <= HEAP_MB, result.peakHeapMb().toString());
    }
}
