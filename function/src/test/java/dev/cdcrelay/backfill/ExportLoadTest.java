package dev.cdcrelay.backfill;

import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export directories in AWS's format, read and loaded into embedded PostgreSQL. */
class ExportLoadTest {

    private static final Instant EXPORT_TIME = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path tmp;
    private String table;
    private Relay relay;
    private SnapshotLoader loader;

    @BeforeEach
    void relay() {
        table = TestSinks.freshTable("backfill-export");
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), table));
        env.put("RELAY_KEY_SCHEMA", "id:S");
        RelayConfig config = RelayConfig.fromEnvironment(env);
        relay = Relay.fromConfig(config, line -> { });
        loader = new SnapshotLoader(relay, new SnapshotRecords(config.keySchema().orElseThrow().names(), SnapshotPoint.at(EXPORT_TIME)), 7);
    }

    @AfterEach
    void close() {
        relay.close();
    }

    private static List<Map<String, Object>> items(String prefix, int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Map.of("id", prefix + i, "n", new BigDecimal(i + ".5"), "tags", List.of("x", i)));
        }
        return items;
    }

    private List<SourceOutcome> loadAll(ExportManifest manifest) {
        List<SourceOutcome> out = new ArrayList<>();
        for (ExportManifest.DataFile f : manifest.files()) {
            out.add(ExportFiles.load(loader, f, n -> { }));
        }
        return out;
    }

    private TreeSet<String> ids() throws Exception {
        TreeSet<String> ids = new TreeSet<>();
        for (SinkRow row : SinkRow.readAll(TestSinks.postgresUrl(), table, false)) {
            ids.add(row.pk().path("id").asText());
        }
        return ids;
    }

    private static List<String> problems(List<SourceOutcome> outcomes) {
        return outcomes.stream().flatMap(o -> o.problems().stream()).toList();
    }

    @Test
    void theManifestsAreReadAsAwsWritesThem() throws Exception {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 3)).emptyFile().file(items("b", 2)).write();
        ExportManifest manifest = ExportManifest.read(dir);
        assertEquals(EXPORT_TIME, manifest.exportTime());
        assertEquals(5, manifest.itemCount());
        assertEquals(5, manifest.itemsInFiles());
        assertTrue(manifest.exportArn().startsWith("arn:aws:dynamodb:eu-central-1:123456789012:table/demo-source/export/"));
        assertEquals(3, manifest.files().size());
        assertTrue(manifest.files().get(0).relative().startsWith("data/") && manifest.files().get(0).relative().endsWith(".json.gz"));
        assertTrue(Files.isRegularFile(manifest.files().get(0).path()));
        assertTrue(manifest.files().get(0).etag().endsWith("-1"));
    }

    @Test
    void everyItemOfEveryFileIsLoadedAndAnEmptyPartitionIsZeroItems() throws Exception {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 20)).emptyFile().file(items("b", 9)).write();
        List<SourceOutcome> outcomes = loadAll(ExportManifest.read(dir));
        assertEquals(List.of(), problems(outcomes));
        assertEquals(List.of(20L, 0L, 9L), outcomes.stream().map(SourceOutcome::itemsLoaded).toList());
        assertEquals(29, ids().size());
    }

    @Test
    void aChecksumMismatchIsReportedAndTheFileIsNotLoadedWhileTheOthersAre() throws Exception {
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 3)).file(items("b", 3));
        Path dir = writer.write();
        Path tampered = dir.resolve(writer.dataFiles().get(0));
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length - 5] ^= 1; // inside the gzip trailer's CRC: still a readable gzip stream header
        Files.write(tampered, bytes);
        List<SourceOutcome> outcomes = loadAll(ExportManifest.read(dir));
        List<String> problems = problems(outcomes);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(writer.dataFiles().get(0) + ": MD5 checksum mismatch: the files manifest says "),
                problems.get(0));
        assertTrue(problems.get(0).endsWith("; the file was not loaded (3 item(s))"), problems.get(0));
        assertEquals(new TreeSet<>(List.of("b0", "b1", "b2")), ids());
    }

    @Test
    void aCorruptGzipIsReportedWithTheLineItBrokeAfterAndTheRestContinues() throws Exception {
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            plain.append("{\"Item\":{\"id\":{\"S\":\"c").append(i).append("\"},\"pad\":{\"S\":\"")
                    .append("x".repeat(200 + i)).append("\"}}}\n");
        }
        byte[] gz = ExportWriter.gzip(plain.toString().getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME).object(truncated, 200).file(items("b", 2));
        Path dir = writer.write();
        List<SourceOutcome> outcomes = loadAll(ExportManifest.read(dir));
        List<String> problems = problems(outcomes);
        assertEquals(2, problems.size(), problems.toString());
        String name = writer.dataFiles().get(0);
        assertTrue(problems.get(0).matches(Pattern.quote(name) + " after line \\d+: corrupt or truncated gzip"
                + " \\(EOFException: Unexpected end of ZLIB input stream\\); the items after it were not read"), problems.get(0));
        long read = outcomes.get(0).itemsRead();
        assertTrue(read > 0 && read < 200, "read " + read);
        assertEquals(name + ": " + read + " item(s) read, the files manifest says 200", problems.get(1));
        assertEquals(read, outcomes.get(0).itemsLoaded(), "the items before the break stay loaded");
        assertEquals(read + 2, ids().size());
    }

    @Test
    void anItemThatIsNotDynamoDbJsonIsNamedByFileAndLine() throws Exception {
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME)
                .lines(List.of("{\"Item\":{\"id\":{\"S\":\"a\"}}}", "{\"Item\":{\"id\":{\"S\":\"b\"},\"x\":{\"Q\":\"1\"}}}",
                        "not json", "{\"Item\":{\"id\":{\"S\":\"d\"}}}"))
                .file(items("e", 1));
        Path dir = writer.write();
        List<String> problems = problems(loadAll(ExportManifest.read(dir)));
        String name = writer.dataFiles().get(0);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals(name + " line 3: malformed JSON at byte 4", problems.get(0));
        assertTrue(problems.get(1).startsWith(name + " line 2: not a valid DynamoDB item: NewImage.x: "), problems.get(1));
        assertEquals(new TreeSet<>(List.of("a", "d", "e0")), ids());
    }

    @Test
    void aMissingDataFileIsReported() throws Exception {
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 2)).file(items("b", 1));
        Path dir = writer.write();
        Files.delete(dir.resolve(writer.dataFiles().get(1)));
        List<String> problems = problems(loadAll(ExportManifest.read(dir)));
        assertEquals(List.of(writer.dataFiles().get(1) + ": missing: the files manifest lists it, the directory does not"
                + " have it (1 item(s) not loaded)"), problems);
    }

    @Test
    void aDirectoryThatIsNotAFullDynamoDbJsonExportIsRefused() throws Exception {
        assertTrue(assertThrows(InvalidExportException.class, () -> ExportManifest.read(tmp)).getMessage()
                .endsWith("manifest-summary.json: not found (is this the AWSDynamoDB/<export-id>/ directory of an export?)"));
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(items("a", 1)).write();
        Path summary = dir.resolve(ExportManifest.SUMMARY);
        String json = Files.readString(summary);
        Files.writeString(summary, json.replace("\"DYNAMODB_JSON\"", "\"ION\""));
        assertEquals("manifest-summary.json: outputFormat is ION; only DYNAMODB_JSON can be loaded",
                assertThrows(InvalidExportException.class, () -> ExportManifest.read(dir)).getMessage());
        Files.writeString(summary, json.replace("\"outputFormat\"", "\"exportType\":\"INCREMENTAL_EXPORT\",\"outputFormat\""));
        assertEquals("manifest-summary.json: exportType is INCREMENTAL_EXPORT; only a FULL_EXPORT holds items",
                assertThrows(InvalidExportException.class, () -> ExportManifest.read(dir)).getMessage());
    }

    @Test
    void s3KeysResolveBelowTheExportDirectory() {
        assertEquals("data/x.json.gz", ExportManifest.relative("pre/fix/AWSDynamoDB/0123-abcd/data/x.json.gz"));
        assertEquals("manifest-files.json", ExportManifest.relative("AWSDynamoDB/0123-abcd/manifest-files.json"));
        assertEquals("data/y.json.gz", ExportManifest.relative("data/y.json.gz"));
    }
}
