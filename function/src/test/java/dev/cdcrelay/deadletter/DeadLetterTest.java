package dev.cdcrelay.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void keepsItsOwnCopyOfThePayload() {
        byte[] buffer = "{\"secret\":1}".getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter(new IncomingRecord("1", "k", buffer, 0), "r", "decode", null,
                TestLetters.FAILED_AT);

        buffer[0] = 'X'; // the caller reuses its buffer

        assertEquals('{', letter.record().data()[0]);
    }

    @Test
    void lettersWithTheSamePayloadBytesAreEqual() {
        assertEquals(TestLetters.letter("1", "{}"), TestLetters.letter("1", "{}"));
        assertEquals(TestLetters.letter("1", "{}").hashCode(), TestLetters.letter("1", "{}").hashCode());
    }

    @Test
    void toStringNeverShowsThePayload() {
        String text = TestLetters.letter("1", "{\"email\":\"someone@example.com\"}").toString();

        assertFalse(text.contains("someone@example.com"), text);
        assertFalse(text.contains("[B@"), text);
    }

    @Test
    void needsASourceAndTreatsABlankEventIdAsUnknown() {
        IncomingRecord record = new IncomingRecord("1", "k", new byte[0], 0);

        assertThrows(IllegalArgumentException.class,
                () -> new DeadLetter(record, "r", " ", null, TestLetters.FAILED_AT));
        assertNull(new DeadLetter(record, "r", "decode", "", TestLetters.FAILED_AT).eventId());
    }
}
