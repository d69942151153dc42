package dev.cdcrelay.handler;

import dev.cdcrelay.backfill.BackfillIncompleteException;
import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import dev.cdcrelay.backfill.source.ExportDescription;
import dev.cdcrelay.testing.DynamoDbLocal;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backfill function's deciding actions through the handler: start's preconditions and modes,
 * exportStatus, summarize over a ResultWriter manifest, bad events; and a sink that is down. The
 * answers DynamoDB Local cannot give come from {@link BackfillFixture.FakeTable}.
 */
class BackfillStartTest {

    private static final Instant EXPORT_TIME = BackfillFixture.NOW.minus(Duration.ofHours(2));

    @TempDir
    Path tmp;
    BackfillFixture fixture;
    String exportArn;

    @BeforeEach
    void fixture() throws Exception {
        fixture = new BackfillFixture(TestSinks.postgresUrl());
        exportArn = fixture.settings.sourceTableArn() + "/export/01234567890123-abcd1234";
        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON",
                BackfillFixture.BUCKET, EXPORT_TIME));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private ExportDescription export(String status, String table, String format, String bucket, Instant time) {
        return new ExportDescription(exportArn, status, table, format, "FULL_EXPORT", bucket, "backfill/exports/",
                Optional.of(time), Optional.of("backfill/exports/AWSDynamoDB/01234567890123-abcd1234/manifest-summary.json"),
                5, status.equals("FAILED") ? Optional.of("S3AccessDenied: no access") : Optional.empty());
    }

    private Map<String, Object> start(Map<String, Object> input) throws Exception {
        return fixture.invoke(Map.of("action", "start", "input", input));
    }

    private void refused(String message, Executable call) {
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class, call);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aStreamingDestinationThatIsNotActiveIsRefusedInEveryMode() {
        fixture.table.destinationStatus = "DISABLED";
        String expected = "streams to " + BackfillFixture.STREAM_ARN + " with status DISABLED, not ACTIVE";
        refused(expected, () -> start(Map.of("requestExport", true)));
        refused(expected, () -> start(Map.of("scan", Map.of("segments", 2L))));
        refused(expected, () -> start(Map.of("exportArn", exportArn, "unchecked", true)));
    }

    @Test
    void requestingAnExportNeedsPointInTimeRecoveryAndWritesIntoTheBackfillBucket() throws Exception {
        fixture.table.pitr = false;
        refused("point-in-time recovery is off for the table " + fixture.ddbTable, () -> start(Map.of("requestExport", true)));
        fixture.table.pitr = true;
        Map<String, Object> out = start(Map.of("requestExport", true));
        assertEquals(Map.of("mode", "export", "exportArn", DynamoDbLocal.tableArn("t") + "/export/01234567890123-abcd1234",
                "bucket", BackfillFixture.BUCKET, "marginSeconds", 120L), out);
        fixture.invoke(Map.of("action", "start", "input", Map.of("requestExport", true), "clientToken", "execution-7"));
        assertEquals(2, fixture.table.requested.size());
        assertTrue(fixture.table.requested.get(0).startsWith("backfill-test/backfill/exports/ token "), fixture.table.requested.toString());
        assertEquals("backfill-test/backfill/exports/ token execution-7", fixture.table.requested.get(1),
                "the same token on a retried start: DynamoDB starts one export");
    }

    @Test
    void anExistingExportIsCheckedBeforeAnythingIsLoaded() throws Exception {
        refused("give \"streamEnabledAt\"", () -> start(Map.of("exportArn", exportArn)));
        refused("the stream was enabled at " + EXPORT_TIME.plusSeconds(1) + ", after the snapshot",
                () -> start(Map.of("exportArn", exportArn, "streamEnabledAt", EXPORT_TIME.plusSeconds(1).toString())));
        fixture.table.exports.put(exportArn, export("COMPLETED", "arn:aws:dynamodb:ddblocal:000000000000:table/other",
                "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        refused("it is of the table arn:aws:dynamodb:ddblocal:000000000000:table/other", () -> start(Map.of("exportArn", exportArn, "unchecked", true)));
        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "ION", BackfillFixture.BUCKET, EXPORT_TIME));
        refused("its format is ION; only DYNAMODB_JSON", () -> start(Map.of("exportArn", exportArn, "unchecked", true)));
        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", "elsewhere", EXPORT_TIME));
        refused("it is in the bucket elsewhere", () -> start(Map.of("exportArn", exportArn, "unchecked", true)));
        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON",
                BackfillFixture.BUCKET, BackfillFixture.NOW.minus(Duration.ofDays(9))));
        refused("older than the sink's tombstone retention (192 h", () -> start(Map.of("exportArn", exportArn, "unchecked", true)));
        fixture.table.exports.put(exportArn, export("FAILED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        refused("FAILED: S3AccessDenied: no access", () -> start(Map.of("exportArn", exportArn, "unchecked", true)));

        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        Map<String, Object> out = start(Map.of("exportArn", exportArn, "streamEnabledAt", EXPORT_TIME.minusSeconds(60).toString()));
        assertEquals("export", out.get("mode"));
        assertEquals(exportArn, out.get("exportArn"));
    }

    @Test
    void aStartNamingNoModeOrTwoIsRefused() {
        refused("give exactly one of", () -> start(Map.of()));
        refused("give exactly one of", () -> start(Map.of("requestExport", true, "scan", Map.of())));
        refused("unknown action 'load'", () -> fixture.invoke(Map.of("action", "load")));
        refused("\"action\" is missing", () -> fixture.invoke(Map.of("input", Map.of())));
        refused("\"segments\" must be a whole number from 1 to 900", () -> start(Map.of("scan", Map.of("segments", 0L))));
    }

    @Test
    void aResumedScanKeepsItsSegmentsAndSnapshotTime() throws Exception {
        Map<String, Object> first = start(Map.of("scan", Map.of("segments", 3L, "readUnitsPerSecond", 300L)));
        List<?> segments = (List<?>) first.get("segments");
        assertEquals(3, segments.size());
        assertEquals(100.0, ((Number) ((Map<?, ?>) segments.get(0)).get("readUnitsPerSecond")).doubleValue(), "shared out");
        Map<String, Object> resumed = start(Map.of("scan", Map.of("resumeScanId", first.get("scanId"))));
        assertEquals(first, resumed);
        refused("there is no scan scan-x to resume", () -> start(Map.of("scan", Map.of("resumeScanId", "scan-x"))));
    }

    @Test
    void exportStatusSaysInProgressThenHandsTheFilesManifestOn() throws Exception {
        fixture.table.exports.put(exportArn, export("IN_PROGRESS", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        Map<String, Object> running = fixture.invoke(Map.of("action", "exportStatus", "exportArn", exportArn));
        assertEquals("IN_PROGRESS", running.get("status"));

        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(BackfillHandlerScenarios.readings("a", 5)).write();
        fixture.s3.put(BackfillFixture.BUCKET, "backfill/exports/AWSDynamoDB/01234567890123-abcd1234/manifest-summary.json",
                java.nio.file.Files.readAllBytes(dir.resolve("manifest-summary.json")));
        fixture.table.exports.put(exportArn, export("COMPLETED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        Map<String, Object> done = fixture.invoke(Map.of("action", "exportStatus", "exportArn", exportArn));
        assertEquals("COMPLETED", done.get("status"));
        assertTrue(((String) done.get("manifestFilesKey")).endsWith("/manifest-files.json"), done.toString());
        assertEquals(EXPORT_TIME.toString(), done.get("exportTime"));
        assertEquals(5L, done.get("itemCount"));
        assertEquals(BackfillFixture.BUCKET, done.get("bucket"));

        fixture.table.exports.put(exportArn, export("FAILED", fixture.settings.sourceTableArn(), "DYNAMODB_JSON", BackfillFixture.BUCKET, EXPORT_TIME));
        refused("FAILED: S3AccessDenied: no access; request a new one",
                () -> fixture.invoke(Map.of("action", "exportStatus", "exportArn", exportArn)));
    }

    /** A map run's results as the ResultWriter writes them (docs: input-output-resultwriter). */
    private Map<String, Object> writeMapRun(String succeeded, String failed) {
        String prefix = "backfill/results/map-run-1/";
        fixture.s3.put(BackfillFixture.BUCKET, prefix + "SUCCEEDED_0.json", succeeded.getBytes(StandardCharsets.UTF_8));
        fixture.s3.put(BackfillFixture.BUCKET, prefix + "FAILED_0.json", failed.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"DestinationBucket\":\"" + BackfillFixture.BUCKET + "\",\"MapRunArn\":\"arn:aws:states:eu-central-1:"
                + "123456789012:mapRun:backfill/LoadFiles:1\",\"ResultFiles\":{\"FAILED\":[{\"Key\":\"" + prefix
                + "FAILED_0.json\",\"Size\":1}],\"PENDING\":[],\"SUCCEEDED\":[{\"Key\":\"" + prefix + "SUCCEEDED_0.json\",\"Size\":1}]}}";
        fixture.s3.put(BackfillFixture.BUCKET, prefix + "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        return Map.of("Bucket", BackfillFixture.BUCKET, "Key", prefix + "manifest.json");
    }

    private static String child(String status, String input, String output) {
        return "{\"ExecutionArn\":\"arn:aws:states:eu-central-1:123456789012:execution:backfill/LoadFiles:" + Math.abs(input.hashCode())
                + "\",\"Input\":" + quoted(input) + ",\"InputDetails\":{\"Included\":true},\"Name\":\"x\""
                + (output.isEmpty() ? ",\"Error\":\"dev.cdcrelay.backfill.RetryableBackfillException\",\"Cause\":\"sink down\""
                : ",\"Output\":" + quoted(output) + ",\"OutputDetails\":{\"Included\":true}")
                + ",\"RedriveCount\":0,\"Status\":\"" + status + "\"}";
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void summarizeCountsAWholeRunAndNamesEveryFailedFile() throws Exception {
        String in1 = "{\"action\":\"loadFile\",\"file\":{\"dataFileS3Key\":\"e/data/one.json.gz\",\"itemCount\":3}}";
        String in2 = "{\"action\":\"loadFile\",\"file\":{\"dataFileS3Key\":\"e/data/two.json.gz\",\"itemCount\":2}}";
        String ok = "[" + child("SUCCEEDED", in1, "{\"file\":\"e/data/one.json.gz\",\"status\":\"LOADED\",\"itemsRead\":3,\"loaded\":3,\"problems\":[]}")
                + "," + child("SUCCEEDED", in2, "{\"file\":\"e/data/two.json.gz\",\"status\":\"ALREADY_LOADED\",\"itemsRead\":2,\"loaded\":2,\"problems\":[]}") + "]";
        Map<String, Object> results = writeMapRun(ok, "[]");
        Map<String, Object> summary = fixture.invoke(Map.of("action", "summarize", "mode", "export", "results", results,
                "exportArn", exportArn, "itemCount", 5L));
        assertEquals(Map.of("filesOrSegments", 2L, "itemsLoaded", 5L, "itemCount", 5L), summary);

        String in3 = "{\"action\":\"loadFile\",\"file\":{\"dataFileS3Key\":\"e/data/three.json.gz\",\"itemCount\":4}}";
        String problems = "[" + child("SUCCEEDED", in1, "{\"file\":\"e/data/one.json.gz\",\"status\":\"PROBLEMS\",\"itemsRead\":3,\"loaded\":2,"
                + "\"problems\":[\"data/one.json.gz line 2: the item lacks key attribute 'device'\"]}") + "]";
        Map<String, Object> incomplete = writeMapRun(problems, "[" + child("FAILED", in3, "") + "]");
        BackfillIncompleteException e = assertThrows(BackfillIncompleteException.class, () -> fixture.invoke(Map.of(
                "action", "summarize", "mode", "export", "results", incomplete, "itemCount", 9L)));
        assertTrue(e.getMessage().startsWith("backfill incomplete: 2 problem(s) in 2 file(s), 2 item(s) loaded"), e.getMessage());
        assertTrue(e.getMessage().contains("e/data/one.json.gz: PROBLEMS: [data/one.json.gz line 2: the item lacks key attribute 'device']"), e.getMessage());
        assertTrue(e.getMessage().contains("e/data/three.json.gz: FAILED dev.cdcrelay.backfill.RetryableBackfillException: sink down"), e.getMessage());
    }

    @Test
    void aMarkerThatS3HidesBehind403ReadsAsAbsentWhenTheListingHasNoSuchKey() throws Exception {
        fixture.s3.answerMissingKeysWith(403);
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(BackfillHandlerScenarios.readings("a", 2)).write();
        fixture.upload(tmp);
        Map<String, Object> event = Map.of("action", "loadFile", "file", BackfillFixture.manifestEntries(dir).get(0),
                "fileIndex", 0L, "bucket", BackfillFixture.BUCKET, "exportArn", exportArn, "exportTime", EXPORT_TIME.toString());
        assertEquals("LOADED", fixture.invoke(event).get("status"));
        assertEquals("ALREADY_LOADED", fixture.invoke(event).get("status"));
    }

    @Test
    void aDataFileMissingFromTheBucketIsAProblemNamingIt() throws Exception {
        Map<String, Object> entry = Map.of("itemCount", 2L, "md5Checksum", "AAAAAAAAAAAAAAAAAAAAAA==", "etag", "x-1",
                "dataFileS3Key", "backfill/exports/AWSDynamoDB/01234567890123-abcd1234/data/gone.json.gz");
        Map<String, Object> out = fixture.invoke(Map.of("action", "loadFile", "file", entry, "fileIndex", 3L,
                "bucket", BackfillFixture.BUCKET, "exportArn", exportArn, "exportTime", EXPORT_TIME.toString()));
        assertEquals("PROBLEMS", out.get("status"));
        assertEquals(List.of("data/gone.json.gz: missing: the files manifest lists it, there is no s3://backfill-test/"
                + "backfill/exports/AWSDynamoDB/01234567890123-abcd1234/data/gone.json.gz (2 item(s) not loaded)"), out.get("problems"));
        refused("the backfill function reads exports only in backfill-test", () -> fixture.invoke(Map.of("action", "loadFile",
                "file", entry, "fileIndex", 3L, "bucket", "elsewhere", "exportArn", exportArn, "exportTime", EXPORT_TIME.toString())));
    }

    @Test
    void aSinkThatIsDownIsRetryableNeverProblems() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (BackfillFixture down = new BackfillFixture("jdbc:postgresql://127.0.0.1:" + closedPort + "/none")) {
            down.envOverrides.put("RELAY_MAX_ATTEMPTS", "2");
            Path dir = new ExportWriter(tmp, EXPORT_TIME).file(BackfillHandlerScenarios.readings("a", 3)).write();
            down.upload(tmp);
            Map<String, Object> event = Map.of("action", "loadFile", "file", BackfillFixture.manifestEntries(dir).get(0),
                    "fileIndex", 0L, "bucket", BackfillFixture.BUCKET, "exportArn", exportArn, "exportTime", EXPORT_TIME.toString());
            RetryableBackfillException e = assertThrows(RetryableBackfillException.class, () -> down.invoke(event));
            assertTrue(e.getMessage().contains("the sink did not take 3 item(s)"), e.getMessage());
            assertTrue(down.s3.keys(BackfillFixture.BUCKET).stream().noneMatch(k -> k.contains("/finished/")));
        }
    }
}
