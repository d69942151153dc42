package dev.cdcrelay.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.MalformedEventException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterCodecTest {

    @Test
    void writesALambdaKinesisEventWithADeadLetterSection() {
        DeadLetter letter = new DeadLetter(
                new IncomingRecord("49590338271490256608559692538361571095921575989136588898", "foo",
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 1720742302233L),
                "column \"n\" is BIGINT", DeadLetter.SOURCE_DATABASE, "b015b5f0-c095-4b50-8ad0-4279aa3d88c6",
                Instant.parse("2024-07-12T01:17:43.101Z"));

        assertEquals("{\"Records\":[{\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\","
                        + "\"eventName\":\"aws:kinesis:record\",\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\","
                        + "\"partitionKey\":\"foo\","
                        + "\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\","
                        + "\"data\":\"eyJhIjoxfQ==\",\"approximateArrivalTimestamp\":1720742302.233}}],"
                        + "\"deadLetter\":{\"reason\":\"column \\\"n\\\" is BIGINT\",\"source\":\"database\","
                        + "\"eventId\":\"b015b5f0-c095-4b50-8ad0-4279aa3d88c6\",\"failedAt\":\"2024-07-12T01:17:43.101Z\"}}",
                new String(DeadLetterCodec.write(letter), StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsA400KbPayloadThatIsNotUtf8() throws Exception {
        DeadLetter letter = TestLetters.letter("1", TestLetters.largeBinaryPayload());

        DeadLetter back = DeadLetterCodec.read(DeadLetterCodec.write(letter));

        assertEquals(letter, back);
        assertArrayEquals(TestLetters.largeBinaryPayload(), back.record().data());
    }

    @Test
    void roundTripsTextThatNeedsEscapingAndTimesExactly() throws Exception {
        DeadLetter letter = new DeadLetter(
                new IncomingRecord("7", "", new byte[0], 1720742302001L),
                "line one\nline \"two\"\t\\ ünïcödé \uD83D\uDE00 \u0000", "decode", null,
                Instant.parse("2024-07-12T23:59:59.123456Z"));

        DeadLetter back = DeadLetterCodec.read(DeadLetterCodec.write(letter));

        assertEquals(letter, back);
        assertEquals(1720742302001L, back.record().arrivalEpochMillis());
        assertEquals(null, back.eventId());
    }

    @Test
    void unknownArrivalTimeRoundTripsAsZero() throws Exception {
        DeadLetter letter = new DeadLetter(new IncomingRecord("1", "k", new byte[] {1}, 0), "r", "decode", null,
                TestLetters.FAILED_AT);

        assertEquals(0, DeadLetterCodec.read(DeadLetterCodec.write(letter)).record().arrivalEpochMillis());
    }

    @Test
    void lambdaItselfReadsTheDocumentAsAKinesisEvent() {
        DeadLetter letter = TestLetters.letter("49590338271490256608559692538361571095921575989136588898",
                TestLetters.largeBinaryPayload());
        PojoSerializer<KinesisEvent> lambda =
                LambdaEventSerializers.serializerFor(KinesisEvent.class, getClass().getClassLoader());

        KinesisEvent event = lambda.fromJson(new ByteArrayInputStream(DeadLetterCodec.write(letter)));

        assertEquals(1, event.getRecords().size());
        KinesisEvent.KinesisEventRecord record = event.getRecords().get(0);
        assertEquals("aws:kinesis", record.getEventSource());
        KinesisEvent.Record kinesis = record.getKinesis();
        assertEquals(letter.record().sequenceNumber(), kinesis.getSequenceNumber());
        assertEquals(letter.record().partitionKey(), kinesis.getPartitionKey());
        assertEquals(letter.record().arrivalEpochMillis(), kinesis.getApproximateArrivalTimestamp().getTime());
        ByteBuffer data = kinesis.getData();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        assertArrayEquals(letter.record().data(), bytes);
    }

    @Test
    void rejectsADocumentWithoutDeadLetterSection() {
        String event = "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\",\"data\":\"e30=\"}}]}";

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> read(event));

        assertEquals("deadLetter is missing", e.getMessage());
    }

    @Test
    void rejectsADocumentWithTwoRecords() {
        String event = "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\",\"data\":\"e30=\"}},"
                + "{\"kinesis\":{\"sequenceNumber\":\"2\",\"data\":\"e30=\"}}],"
                + "\"deadLetter\":{\"reason\":\"r\",\"source\":\"decode\",\"failedAt\":\"2024-07-12T01:17:43Z\"}}";

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> read(event));

        assertTrue(e.getMessage().contains("exactly one record"), e.getMessage());
    }

    @Test
    void namesTheFieldThatIsWrong() {
        String deadLetter = ",\"deadLetter\":{\"reason\":\"r\",\"source\":\"decode\",\"failedAt\":\"%s\"}}";
        String badData = "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\",\"data\":\"not base64!\"}}]"
                + deadLetter.formatted("2024-07-12T01:17:43Z");
        String badTime = "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\",\"data\":\"e30=\"}}]"
                + deadLetter.formatted("yesterday");
        String trailing = new String(DeadLetterCodec.write(TestLetters.letter("1", "{}")), StandardCharsets.UTF_8)
                + "\n{}";

        assertEquals("Records[0].kinesis.data is not base64",
                assertThrows(MalformedEventException.class, () -> read(badData)).getMessage());
        assertEquals("deadLetter.failedAt is not an ISO-8601 instant",
                assertThrows(MalformedEventException.class, () -> read(badTime)).getMessage());
        assertEquals("unexpected content after the document at line 2, column 1",
                assertThrows(MalformedEventException.class, () -> read(trailing)).getMessage());
    }

    private static DeadLetter read(String document) throws MalformedEventException {
        return DeadLetterCodec.read(document.getBytes(StandardCharsets.UTF_8));
    }
}
