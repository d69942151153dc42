package dev.cdcrelay.deadletter;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

/** Dead letters for tests. */
final class TestLetters {

    static final Instant FAILED_AT = Instant.parse("2024-07-12T01:17:43.101Z");

    private TestLetters() {
    }

    static DeadLetter letter(String sequenceNumber, String payload) {
        return letter(sequenceNumber, payload.getBytes(StandardCharsets.UTF_8));
    }

    static DeadLetter letter(String sequenceNumber, byte[] payload) {
        return new DeadLetter(new IncomingRecord(sequenceNumber, "device-" + sequenceNumber, payload, 1720742302233L),
                "not JSON: unexpected character", DeadLetter.SOURCE_DECODE, null, FAILED_AT);
    }

    /** The largest DynamoDB item, as bytes that are not valid UTF-8 (every byte value occurs). */
    static byte[] largeBinaryPayload() {
        byte[] payload = new byte[400 * 1024];
        new Random(42).nextBytes(payload);
        payload[0] = (byte) 0xFF;        // never valid in UTF-8
        payload[1] = (byte) 0xC3;        // a lead byte without its continuation
        payload[2] = 'x';
        payload[payload.length - 1] = 0;
        return payload;
    }
}
