package dev.cdcrelay.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterNamesTest {

    @Test
    void keyIsPrefixUtcDateSequenceNumberAndPayloadHash() {
        DeadLetter letter = letterFailedAt("49590338271490256608559692538361571095921575989136588898", "{}",
                "2024-07-12T23:59:59.999Z");

        assertEquals("dead-letters/2024/07/12/49590338271490256608559692538361571095921575989136588898-"
                        + DeadLetterNames.shortHash("{}".getBytes(StandardCharsets.UTF_8)) + ".json",
                DeadLetterNames.s3Key("dead-letters/", letter));
        assertTrue(DeadLetterNames.shortHash(new byte[0]).matches("[0-9a-f]{16}"));
    }

    @Test
    void theSameRecordAlwaysGetsTheSameNameAndAnotherPayloadAnother() {
        DeadLetter first = letterFailedAt("1", "{\"a\":1}", "2024-07-12T01:00:00Z");
        DeadLetter redelivered = letterFailedAt("1", "{\"a\":1}", "2024-07-12T02:00:00Z");
        DeadLetter otherPayload = letterFailedAt("1", "{\"a\":2}", "2024-07-12T01:00:00Z");

        assertEquals(DeadLetterNames.fileName(first), DeadLetterNames.fileName(redelivered));
        assertNotEquals(DeadLetterNames.fileName(first), DeadLetterNames.fileName(otherPayload));
    }

    @Test
    void oddSequenceNumbersBecomeSafeNames() {
        String name = DeadLetterNames.fileName(letterFailedAt("../../etc/passwd x", "{}", "2024-07-12T01:00:00Z"));
        String empty = DeadLetterNames.fileName(letterFailedAt("", "{}", "2024-07-12T01:00:00Z"));
        String huge = DeadLetterNames.fileName(letterFailedAt("9".repeat(5000), "{}", "2024-07-12T01:00:00Z"));

        assertTrue(name.matches("______etc_passwd_x-[0-9a-f]{16}\\.json"), name);
        assertTrue(empty.startsWith("no-sequence-number-"), empty);
        assertTrue(huge.length() < 200, huge);
    }

    private static DeadLetter letterFailedAt(String sequenceNumber, String payload, String failedAt) {
        return new DeadLetter(new IncomingRecord(sequenceNumber, "k", payload.getBytes(StandardCharsets.UTF_8), 0),
                "r", "decode", null, Instant.parse(failedAt));
    }
}
