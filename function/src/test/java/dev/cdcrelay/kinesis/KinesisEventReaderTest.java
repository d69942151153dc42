package dev.cdcrelay.kinesis;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The record fields of a Lambda Kinesis event, read the same way by the whole-document and the
 * streaming reader: what counts as base64 is the JDK decoder's, and every message names the record.
 */
class KinesisEventReaderTest {

    @Test
    void dataOfEverySizeDecodesToTheBytesThatWereEncoded() throws Exception {
        Random random = new Random(3);
        List<byte[]> payloads = new ArrayList<>();
        StringBuilder event = new StringBuilder("{\"Records\":[");
        // Around the reader's first buffer (1,024 characters of base64) and well past it.
        for (int size : new int[]{0, 1, 2, 3, 766, 767, 768, 769, 5_000, 120_000, 10}) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            payloads.add(payload);
            event.append(payloads.size() > 1 ? "," : "").append(record(payloads.size(),
                    "\"" + Base64.getEncoder().encodeToString(payload) + "\""));
        }
        event.append("]}");
        byte[] json = event.toString().getBytes(StandardCharsets.UTF_8);

        List<IncomingRecord> whole = KinesisEventReader.readRecords(json);
        List<IncomingRecord> streamed = streamed(json);
        assertEquals(payloads.size(), whole.size());
        assertEquals(payloads.size(), streamed.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), whole.get(i).data(), "record " + i);
            assertArrayEquals(payloads.get(i), streamed.get(i).data(), "record " + i + " (streamed)");
            assertEquals(String.valueOf(i + 1), whole.get(i).sequenceNumber());
        }
    }

    @Test
    void base64IsWhatTheJdkDecoderTakes() throws Exception {
        // JSON escapes are the parser's business: \u0051 is 'Q'.
        assertArrayEquals("ABC".getBytes(StandardCharsets.US_ASCII), dataOf("\"\\u0051UJD\""));
        // The JDK's basic decoder does not require padding; neither does the relay.
        assertArrayEquals("AB".getBytes(StandardCharsets.US_ASCII), dataOf("\"QUI\""));
        assertArrayEquals("AB".getBytes(StandardCharsets.US_ASCII), dataOf("\"QUI=\""));
        assertArrayEquals(new byte[0], dataOf("\"\""));
    }

    @Test
    void textThatIsNotBase64IsRefusedWithTheRecordNamed() {
        for (String bad : new String[]{"\"QUJD RA==\"", "\"QUJD\\nRA==\"", "\"QUJDRA=\"", "\"QUJ=RA==\"",
                "\"QUJDRA==QQ==x\"", "\"QUJD\u00c9A==\"", "\"QUJD\u20acA==\"", "\"QUJD\u0141A==\"", "\"QUJD-_==\"", "\"Q\""}) {
            assertEquals("Records[1].kinesis.data is not base64", messageFor(bad), bad);
        }
    }

    @Test
    void eachFieldOfARecordIsNamedWhenItIsWrong() {
        assertEquals("Records[1].kinesis.data is not a string", messageFor("42"));
        assertEquals("Records[1].kinesis.data is missing", messageFor("null"));
        assertEquals("Records[1].kinesis.sequenceNumber is not a string", message(
                "{\"kinesis\":{\"sequenceNumber\":7,\"data\":\"\"}}"));
        assertEquals("Records[1].kinesis.sequenceNumber is missing", message(
                "{\"kinesis\":{\"data\":\"\"}}"));
        assertEquals("Records[1].kinesis.partitionKey is not a string", message(
                "{\"kinesis\":{\"sequenceNumber\":\"2\",\"partitionKey\":[],\"data\":\"\"}}"));
        assertEquals("Records[1].kinesis.approximateArrivalTimestamp is not a number (epoch seconds)", message(
                "{\"kinesis\":{\"sequenceNumber\":\"2\",\"data\":\"\",\"approximateArrivalTimestamp\":\"x\"}}"));
        assertEquals("Records[1].kinesis is not an object", message("{\"kinesis\":[]}"));
        assertEquals("Records[1] is not an object", message("7"));
        assertEquals("Records[1].kinesis is missing (eventSource is aws:dynamodb, not aws:kinesis)",
                message("{\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{}}"));
    }

    private static String record(int sequence, String data) {
        return "{\"eventSource\":\"aws:kinesis\",\"kinesis\":{\"partitionKey\":\"p\",\"sequenceNumber\":\""
                + sequence + "\",\"data\":" + data + ",\"approximateArrivalTimestamp\":1720742302.233}}";
    }

    private static byte[] dataOf(String data) throws Exception {
        byte[] json = ("{\"Records\":[" + record(1, data) + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] whole = KinesisEventReader.readRecords(json).get(0).data();
        assertArrayEquals(whole, streamed(json).get(0).data(), "both readers");
        return whole;
    }

    private static String messageFor(String data) {
        return message(record(1, data));
    }

    /** The message for a document whose second record (Records[1]) is {@code secondRecord}. */
    private static String message(String secondRecord) {
        byte[] json = ("{\"Records\":[" + record(0, "\"\"") + "," + secondRecord + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String whole = assertThrows(MalformedEventException.class, () -> KinesisEventReader.readRecords(json))
                .getMessage();
        String streamed = assertThrows(MalformedEventException.class, () -> streamed(json)).getMessage();
        assertEquals(whole, streamed, "both readers");
        return whole;
    }

    private static List<IncomingRecord> streamed(byte[] json) throws MalformedEventException, IOException {
        List<IncomingRecord> out = new ArrayList<>();
        try (KinesisEventReader.RecordStream stream =
                     KinesisEventReader.streamRecords(new ByteArrayInputStream(json))) {
            for (Optional<IncomingRecord> r = stream.next(); r.isPresent(); r = stream.next()) {
                out.add(r.get());
            }
        }
        return out;
    }
}
