package dev.cdcrelay.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdcrelay.deadletter.DeadLetter;
import dev.cdcrelay.deadletter.DeadLetterCodec;
import dev.cdcrelay.kinesis.IncomingRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayInputTest {

    private static final String CHANGE_1 = "{\"eventID\":\"e1\",\"eventName\":\"INSERT\",\"eventSource\":\"aws:dynamodb\","
            + "\"dynamodb\":{\"Keys\":{\"device\":{\"S\":\"foo\"}},\"NewImage\":{\"device\":{\"S\":\"foo\"}}}}";
    private static final String CHANGE_2 = "{\"eventID\":\"e2\",\"eventName\":\"REMOVE\",\"eventSource\":\"aws:dynamodb\","
            + "\"dynamodb\":{\"Keys\":{\"device\":{\"S\":\"foo\"}},\"OldImage\":{\"device\":{\"S\":\"foo\"}}}}";

    @TempDir
    Path temp;

    /** As Lambda delivers it, all fields included. */
    private static String lambdaRecord(String sequenceNumber, String data, String arrival) {
        return "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk-" + sequenceNumber + "\","
                + "\"sequenceNumber\":\"" + sequenceNumber + "\",\"data\":\"" + data + "\","
                + "\"approximateArrivalTimestamp\":" + arrival + "},"
                + "\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\","
                + "\"eventID\":\"shardId-000000000006:" + sequenceNumber + "\",\"eventName\":\"aws:kinesis:record\","
                + "\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/relay\",\"awsRegion\":\"eu-central-1\","
                + "\"eventSourceARN\":\"arn:aws:kinesis:eu-central-1:123456789012:stream/demo\"}";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<IncomingRecord> parse(String name, String content) throws ReplayInput.InvalidInputException {
        return ReplayInput.parse(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorFor(String name, String content) {
        return assertThrows(ReplayInput.InvalidInputException.class, () -> parse(name, content)).getMessage();
    }

    @Test
    void readsALambdaKinesisEvent() throws Exception {
        String event = "{\"Records\":[" + lambdaRecord("100", base64(CHANGE_1), "1720742302.233") + ","
                + lambdaRecord("101", base64(CHANGE_2), "1720742303") + "]}";

        List<IncomingRecord> records = parse("event.json", event);

        assertEquals(2, records.size());
        assertEquals("100", records.get(0).sequenceNumber());
        assertEquals("pk-100", records.get(0).partitionKey());
        assertArrayEquals(CHANGE_1.getBytes(StandardCharsets.UTF_8), records.get(0).data());
        assertEquals(1720742302233L, records.get(0).arrivalEpochMillis(), "seconds with fraction, read exactly");
        assertEquals(1720742303000L, records.get(1).arrivalEpochMillis());
        assertArrayEquals(CHANGE_2.getBytes(StandardCharsets.UTF_8), records.get(1).data());
    }

    @Test
    void readsPrettyPrintedEventsWhateverTheFieldOrder() throws Exception {
        String event = "{\n  \"comment\": {\"Records\": \"not this one\"},\n  \"Records\": [\n    {\n"
                + "      \"kinesis\": {\n        \"data\": \"" + base64(CHANGE_1) + "\",\n"
                + "        \"approximateArrivalTimestamp\": 1.5E9,\n"
                + "        \"sequenceNumber\": \"7\"\n      }\n    }\n  ]\n}\n";

        List<IncomingRecord> records = parse("pretty.json", event);

        assertEquals(1, records.size());
        assertEquals("7", records.get(0).sequenceNumber());
        assertEquals("", records.get(0).partitionKey());
        assertEquals(1_500_000_000_000L, records.get(0).arrivalEpochMillis());
    }

    @Test
    void readsADeadLetterDocumentAndSeveralDocumentsInARow() throws Exception {
        DeadLetter letter = new DeadLetter(new IncomingRecord("42", "foo", new byte[] {(byte) 0xFF, 0, 'x'},
                1720742302233L), "not JSON", "decode", null, Instant.parse("2024-07-12T01:17:43Z"));
        String document = new String(DeadLetterCodec.write(letter), StandardCharsets.UTF_8);

        List<IncomingRecord> records = parse("stdin", document + "\n" + document.replace("\"42\"", "\"43\"") + "\n");

        assertEquals(2, records.size());
        assertEquals("42", records.get(0).sequenceNumber());
        assertEquals("43", records.get(1).sequenceNumber());
        assertArrayEquals(letter.record().data(), records.get(0).data());
        assertEquals(1720742302233L, records.get(0).arrivalEpochMillis());
    }

    @Test
    void readsNdjsonChangeRecordsNumberedByLine() throws Exception {
        String ndjson = CHANGE_1 + "\r\n\n   \n" + CHANGE_2 + "\n";

        List<IncomingRecord> records = parse("changes.ndjson", ndjson);

        assertEquals(2, records.size());
        assertEquals("00000000000000000001", records.get(0).sequenceNumber());
        assertEquals("00000000000000000004", records.get(1).sequenceNumber());
        assertArrayEquals(CHANGE_1.getBytes(StandardCharsets.UTF_8), records.get(0).data(), "line bytes, no CR");
        assertArrayEquals(CHANGE_2.getBytes(StandardCharsets.UTF_8), records.get(1).data());
        assertEquals("", records.get(0).partitionKey());
        assertEquals(0, records.get(0).arrivalEpochMillis());
    }

    @Test
    void synthesizedSequenceNumbersSortInLineOrder() {
        assertTrue(ReplayInput.sequenceNumberOfLine(9).compareTo(ReplayInput.sequenceNumberOfLine(10)) < 0);
        assertTrue(ReplayInput.sequenceNumberOfLine(99_999).compareTo(ReplayInput.sequenceNumberOfLine(100_000)) < 0);
    }

    @Test
    void emptyInputHasNoRecordsAndAByteOrderMarkIsIgnored() throws Exception {
        assertEquals(List.of(), parse("empty", ""));
        assertEquals(List.of(), parse("blank", "\n \n"));

        List<IncomingRecord> records = parse("bom.ndjson", "\uFEFF" + CHANGE_1);

        assertArrayEquals(CHANGE_1.getBytes(StandardCharsets.UTF_8), records.get(0).data());
    }

    @Test
    void readsAFileAndAStream() throws Exception {
        Path file = Files.writeString(temp.resolve("changes.ndjson"), CHANGE_1 + "\n" + CHANGE_2 + "\n");
        byte[] event = ("{\"Records\":[" + lambdaRecord("5", base64(CHANGE_1), "1") + "]}")
                .getBytes(StandardCharsets.UTF_8);

        assertEquals(2, ReplayInput.read(file).size());
        assertEquals("5", ReplayInput.read("stdin", new ByteArrayInputStream(event)).get(0).sequenceNumber());
    }

    @Test
    void readsEveryJsonFileBelowADirectoryInPathOrder() throws Exception {
        Files.createDirectories(temp.resolve("2024/07/13"));
        Files.createDirectories(temp.resolve("2024/07/12"));
        writeEvent(temp.resolve("2024/07/13/1-aaaa.json"), "3");
        writeEvent(temp.resolve("2024/07/12/2-bbbb.json"), "2");
        writeEvent(temp.resolve("2024/07/12/1-cccc.json"), "1");
        Files.writeString(temp.resolve("2024/07/12/notes.txt"), "not an event");
        Files.writeString(temp.resolve("2024/07/12/.1-dddd.json.123.tmp"), "{half");
        Files.writeString(temp.resolve("._1-eeee.json"), "macOS litter");

        List<IncomingRecord> records = ReplayInput.read(temp);

        assertEquals(List.of("1", "2", "3"), records.stream().map(IncomingRecord::sequenceNumber).toList());
    }

    private static void writeEvent(Path file, String sequenceNumber) throws Exception {
        Files.writeString(file, "{\"Records\":[" + lambdaRecord(sequenceNumber, base64(CHANGE_1), "1") + "]}");
    }

    @Test
    void namesFileRecordAndProblem() {
        StringBuilder event = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < 3; i++) {
            event.append(lambdaRecord(String.valueOf(i), base64(CHANGE_1), "1")).append(',');
        }
        event.append(lambdaRecord("3", "%%%", "1")).append("]}");

        assertEquals("events.json: Records[3].kinesis.data is not base64", errorFor("events.json", event.toString()));
    }

    @Test
    void explainsWhatIsMissingOrMistyped() {
        assertEquals("e.json: Records[0].kinesis is missing (eventSource is aws:dynamodb, not aws:kinesis)",
                errorFor("e.json", "{\"Records\":[{\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{}}]}"));
        assertEquals("e.json: Records[0].kinesis.sequenceNumber is missing",
                errorFor("e.json", "{\"Records\":[{\"kinesis\":{\"data\":\"e30=\"}}]}"));
        assertEquals("e.json: Records[0].kinesis.approximateArrivalTimestamp is not a number (epoch seconds)",
                errorFor("e.json", "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\",\"data\":\"e30=\","
                        + "\"approximateArrivalTimestamp\":\"yesterday\"}}]}"));
        assertEquals("e.json: Records is not an array", errorFor("e.json", "{\"Records\":{}}"));
        assertEquals("e.json: document 2: no Records array: not a Lambda Kinesis event",
                errorFor("e.json", "{\"Records\":[]}\n" + CHANGE_1));
    }

    @Test
    void reportsBrokenJsonWithItsPosition() {
        String truncated = "{\"Records\":[\n" + lambdaRecord("1", base64(CHANGE_1), "1");

        String message = errorFor("cut.json", truncated);

        assertTrue(message.startsWith("cut.json: the JSON ends too early at line 2, column "), message);
    }

    @Test
    void namesTheNdjsonLineThatIsWrong() {
        String badLine = errorFor("changes.ndjson", CHANGE_1 + "\n{\"eventID\": oops}\n");
        assertTrue(badLine.startsWith("changes.ndjson: line 2: invalid JSON at column "), badLine);
        assertEquals("changes.ndjson: line 3: not a JSON object (expected one DynamoDB change record per line, "
                        + "or a Lambda Kinesis event with a Records array)",
                errorFor("changes.ndjson", CHANGE_1 + "\n\n[1,2]\n"));
        assertEquals("changes.ndjson: line 1: more than one JSON value on the line",
                errorFor("changes.ndjson", CHANGE_1 + " " + CHANGE_2));
    }

    @Test
    void aPrettyPrintedChangeRecordIsNotNdjson() {
        assertEquals("change.json: line 1: the JSON object does not end on this line "
                        + "(NDJSON needs each change record on a single line)",
                errorFor("change.json", "{\n  \"eventID\": \"e1\",\n  \"dynamodb\": {}\n}\n"));
    }

    @Test
    void aBrokenFileInADirectoryIsNamed() throws Exception {
        writeEvent(temp.resolve("a.json"), "1");
        Path broken = Files.writeString(temp.resolve("b.json"), CHANGE_1);

        ReplayInput.InvalidInputException e =
                assertThrows(ReplayInput.InvalidInputException.class, () -> ReplayInput.read(temp));

        assertEquals(broken + ": no Records array: not a Lambda Kinesis event", e.getMessage());
    }

    @Test
    void recordsComeOneByOneSoThoseBeforeABrokenOneAreReadFirst() throws Exception {
        String event = "{\"Records\":[" + lambdaRecord("1", base64(CHANGE_1), "1") + ","
                + lambdaRecord("2", "%%%", "1") + "]}";

        try (RecordReader reader = ReplayInput.open("big.json",
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), ReplayInput.Form.DETECTED)) {
            assertEquals("1", reader.next().orElseThrow().sequenceNumber());
            ReplayInput.InvalidInputException e = assertThrows(ReplayInput.InvalidInputException.class, reader::next);
            assertEquals("big.json: Records[1].kinesis.data is not base64", e.getMessage());
        }
    }

    @Test
    void aDocumentWithTwoRecordsArraysIsRefusedRatherThanCountedTwice() {
        String record = lambdaRecord("1", base64(CHANGE_1), "1");

        assertEquals("twice.json: Records appears twice in one document",
                errorFor("twice.json", "{\"Records\":[" + record + "],\"Records\":[" + record + "]}"));
    }

    @Test
    void inADirectoryEventDocumentsOnlyNdjsonIsNamedAsNotAnEvent() throws Exception {
        Files.writeString(temp.resolve("changes.json"), CHANGE_1 + "\n");

        ReplayInput.InvalidInputException e =
                assertThrows(ReplayInput.InvalidInputException.class, () -> ReplayInput.read(temp));

        assertEquals(temp.resolve("changes.json") + ": no Records array: not a Lambda Kinesis event", e.getMessage());
    }

    @Test
    void aDirectoryIsWalkedInTheOrderOfItsSlashSeparatedPaths() throws Exception {
        Files.createDirectories(temp.resolve("a"));
        writeEvent(temp.resolve("a/b.json"), "2");
        writeEvent(temp.resolve("a-c.json"), "1");       // "a-c.json" < "a/b.json": '-' sorts before '/'
        writeEvent(temp.resolve("a0.json"), "3");        // "a/b.json" < "a0.json": '/' sorts before '0'

        List<IncomingRecord> records = ReplayInput.read(temp);

        assertEquals(List.of("1", "2", "3"), records.stream().map(IncomingRecord::sequenceNumber).toList());
    }

    @Test
    void anNdjsonLineLongerThanAnyChangeRecordIsRefusedWithoutReadingItWhole() {
        String longLine = "{\"x\":\"" + "y".repeat(ChangeRecordLines.MAX_LINE_BYTES) + "\"}";

        assertEquals("long.ndjson: line 2 is longer than 16 MB: not one DynamoDB change record per line",
                errorFor("long.ndjson", CHANGE_1 + "\n" + longLine));
    }
}
