package dev.cdcrelay.handler;

import dev.cdcrelay.backfill.RetryableBackfillException;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.DynamoDbLocal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backfill function's loading actions end to end, through {@link BackfillHandler} with JSON in
 * and out: loadFile from an export in AWS's format in S3, scanSegment from DynamoDB Local across
 * invocations with its checkpoint in S3; rows read back from the sink. Subclasses pick the sink.
 */
abstract class BackfillHandlerScenarios {

    /** The sink's JDBC URL. */
    abstract String url();

    abstract boolean crate();

    private static final Instant EXPORT_TIME = BackfillFixture.NOW.minusSeconds(3600);
    private static final String EXPORT_ARN = "arn:aws:dynamodb:ddblocal:000000000000:table/t/export/01234567890123-abcd1234";

    @TempDir
    Path tmp;
    BackfillFixture fixture;

    @BeforeEach
    void fixture() throws Exception {
        fixture = new BackfillFixture(url());
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    static List<Map<String, Object>> readings(String device, int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Map.of("device", device, "timestamp", String.format("2024-07-11T00:%02d:%02d", i / 60 % 60, i % 60),
                    "temperature", new BigDecimal(20 + i % 10 + ".5")));
        }
        return items;
    }

    private Map<String, Object> loadFileEvent(Object entry, int index) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("action", "loadFile");
        event.put("file", entry);
        event.put("fileIndex", (long) index);
        event.put("bucket", BackfillFixture.BUCKET);
        event.put("exportArn", EXPORT_ARN);
        event.put("exportTime", EXPORT_TIME.toString());
        event.put("marginSeconds", 120L);
        return event;
    }

    private TreeSet<String> devicesAndTimes() throws Exception {
        TreeSet<String> keys = new TreeSet<>();
        for (SinkRow row : SinkRow.readAll(url(), fixture.sinkTable, crate())) {
            keys.add(row.pk().get("device").asText() + "@" + row.pk().get("timestamp").asText());
        }
        return keys;
    }

    @Test
    void loadFileLoadsAnExportFileFromS3AndSaysAlreadyLoadedTheSecondTime() throws Exception {
        Path dir = new ExportWriter(tmp, EXPORT_TIME).file(readings("a", 40)).emptyFile().write();
        fixture.upload(tmp);
        List<Object> entries = BackfillFixture.manifestEntries(dir);

        Map<String, Object> first = fixture.invoke(loadFileEvent(entries.get(0), 0));
        assertEquals("LOADED", first.get("status"), first.toString());
        assertEquals(40L, first.get("itemsRead"));
        assertEquals(40L, first.get("loaded"));
        assertEquals(List.of(), first.get("problems"));
        assertEquals(((Map<?, ?>) entries.get(0)).get("dataFileS3Key"), first.get("file"));
        assertEquals("LOADED", fixture.invoke(loadFileEvent(entries.get(1), 1)).get("status"), "an empty partition");

        Map<String, Object> again = fixture.invoke(loadFileEvent(entries.get(0), 0));
        assertEquals("ALREADY_LOADED", again.get("status"), again.toString());
        assertEquals(40L, again.get("loaded"), "the counts of the run that loaded it");
        assertEquals(40, devicesAndTimes().size());
        long finished = fixture.s3.keys(BackfillFixture.BUCKET).stream()
                .filter(k -> k.startsWith("backfill/finished/01234567890123-abcd1234/")).count();
        assertEquals(2, finished, "one marker per finished file: " + fixture.s3.keys(BackfillFixture.BUCKET));
    }

    @Test
    void aBadFileGivesProblemsNamingFileAndLineAndTheValidItemsAreInTheSink() throws Exception {
        byte[] plain = lines(readings("gz", 300)).getBytes(StandardCharsets.UTF_8);
        byte[] gz = ExportWriter.gzip(plain);
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        ExportWriter writer = new ExportWriter(tmp, EXPORT_TIME)
                .file(readings("md5", 3))
                .object(truncated, 300)
                .lines(List.of(lines(readings("ok", 1)).strip(), lines(readings("ok", 2).subList(1, 2)).strip(),
                        "{\"Item\": {\"device\": \"not typed\"}}",
                        "{\"Item\": {\"device\": {\"S\": \"ok\"}, \"timestamp\": {\"S\": \"z\"}, \"t\": {\"Q\": \"1\"}}}"));
        Path dir = writer.write();
        fixture.upload(tmp);
        List<Object> entries = BackfillFixture.manifestEntries(dir);
        String md5Key = ((Map<?, ?>) entries.get(0)).get("dataFileS3Key").toString();
        byte[] flipped = fixture.s3.get(BackfillFixture.BUCKET, md5Key).orElseThrow();
        flipped[flipped.length / 2] ^= 1;
        fixture.s3.put(BackfillFixture.BUCKET, md5Key, flipped);

        Map<String, Object> mismatch = fixture.invoke(loadFileEvent(entries.get(0), 0));
        assertEquals("PROBLEMS", mismatch.get("status"));
        assertEquals(0L, mismatch.get("loaded"), "nothing of a file that is not what the export wrote");
        assertTrue(problems(mismatch).get(0).startsWith(writer.dataFiles().get(0) + ": MD5 checksum mismatch"), mismatch.toString());

        Map<String, Object> corrupt = fixture.invoke(loadFileEvent(entries.get(1), 1));
        assertEquals("PROBLEMS", corrupt.get("status"));
        assertTrue(problems(corrupt).get(0).matches(java.util.regex.Pattern.quote(writer.dataFiles().get(1))
                + " after line \\d+: corrupt or truncated gzip.*"), corrupt.toString());

        Map<String, Object> invalid = fixture.invoke(loadFileEvent(entries.get(2), 2));
        assertEquals("PROBLEMS", invalid.get("status"));
        assertEquals(2L, invalid.get("loaded"));
        List<String> named = problems(invalid);
        assertTrue(named.get(0).startsWith(writer.dataFiles().get(2) + " line 3: "), named.toString());
        assertTrue(named.get(1).startsWith(writer.dataFiles().get(2) + " line 4: not a valid DynamoDB item"), named.toString());

        TreeSet<String> rows = devicesAndTimes();
        assertTrue(rows.contains("ok@2024-07-11T00:00:00") && rows.contains("ok@2024-07-11T00:00:01"), rows.toString());
        assertTrue(rows.stream().noneMatch(k -> k.startsWith("md5@")), rows.toString());
        assertTrue(rows.stream().anyMatch(k -> k.startsWith("gz@")), "the items before the break stay loaded");
        assertTrue(fixture.s3.keys(BackfillFixture.BUCKET).stream().noneMatch(k -> k.contains("/finished/")),
                "no marker for a file with problems: a resumed run tries it again");
    }

    @Test
    void scanSegmentsResumeAcrossInvocationsFromTheirCheckpointInS3() throws Exception {
        int items = 2_300; // three pages of 1,000 in one segment, fewer in the other
        putItems(items);
        Map<String, Object> start = fixture.invoke(Map.of("action", "start", "input",
                Map.of("scan", Map.of("segments", 2L, "readUnitsPerSecond", 100_000L))));
        assertEquals("scan", start.get("mode"));
        List<?> segments = (List<?>) start.get("segments");
        assertEquals(2, segments.size());

        long read = 0;
        int invocations = 0;
        int more = 0;
        for (Object s : segments) {
            @SuppressWarnings("unchecked")
            Map<String, Object> input = new LinkedHashMap<>((Map<String, Object>) s);
            input.put("action", "scanSegment");
            Map<String, Object> output;
            do {
                // One page per invocation: the next one must resume from the checkpoint.
                output = fixture.invoke(input, BackfillFixture.TimedContext.pages(1));
                invocations++;
                more += output.get("status").equals("MORE") ? 1 : 0;
                assertEquals(List.of(), output.get("problems"));
                input = new LinkedHashMap<>(output); // what the state machine's loop passes back
            } while (output.get("status").equals("MORE"));
            assertEquals("DONE", output.get("status"));
            read += (Long) output.get("itemsRead");
        }
        assertEquals(items, read, "every item read exactly once over " + invocations + " invocations");
        assertTrue(more > 0, "a segment of more than one page took more than one invocation: " + invocations);
        assertEquals(items, devicesAndTimes().size());
        assertTrue(fixture.s3.keys(BackfillFixture.BUCKET).contains("backfill/scans/" + start.get("scanId") + "/segment-1.json"));
    }

    private void putItems(int n) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "device", AttributeValue.fromS("scan-" + i % 7),
                    "timestamp", AttributeValue.fromS(String.format("2024-07-11T%05d", i)),
                    "temperature", AttributeValue.fromN(Integer.toString(i)))).build()).build());
            if (batch.size() == 25 || i == n - 1) {
                List<WriteRequest> requests = List.copyOf(batch);
                DynamoDbLocal.client().batchWriteItem(b -> b.requestItems(Map.of(fixture.ddbTable, requests)));
                batch.clear();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Map<String, Object> output) {
        return (List<String>) output.get("problems");
    }

    private static String lines(List<Map<String, Object>> items) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> item : items) {
            sb.append("{\"Item\":").append(dev.cdcrelay.testing.DynamoJson.item(item)).append("}\n");
        }
        return sb.toString();
    }
}
