package dev.cdcrelay.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.replay.ReplayInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDeadLetterSinkTest {

    @TempDir
    Path temp;

    @Test
    void writesOneFilePerLetterThatReplayReadsBackIdentically() throws Exception {
        Path directory = temp.resolve("not/there/yet");
        List<DeadLetter> letters = List.of(
                TestLetters.letter("49590338271490256608559692538361571095921575989136588898", "{oops"),
                TestLetters.letter("49590338271490256608559692538361571095921575989136588899",
                        TestLetters.largeBinaryPayload()),
                TestLetters.letter("49590338271490256608559692538361571095921575989136588900", ""));

        try (DeadLetterSink sink = new DirectoryDeadLetterSink(directory)) {
            sink.send(letters);
        }

        List<Path> files = filesIn(directory);
        assertEquals(3, files.size(), "one file per letter, no temporary files left: " + files);
        List<IncomingRecord> replayed = ReplayInput.read(directory);
        assertEquals(3, replayed.size());
        for (int i = 0; i < letters.size(); i++) {
            IncomingRecord original = letters.get(i).record();
            IncomingRecord back = replayed.get(i);
            assertEquals(original.sequenceNumber(), back.sequenceNumber());
            assertEquals(original.partitionKey(), back.partitionKey());
            assertArrayEquals(original.data(), back.data());
            assertEquals(original.arrivalEpochMillis(), back.arrivalEpochMillis());
            assertEquals(letters.get(i), DeadLetterCodec.read(Files.readAllBytes(files.get(i))));
        }
    }

    @Test
    void theSameLetterTwiceLeavesOneFile() throws Exception {
        DirectoryDeadLetterSink sink = new DirectoryDeadLetterSink(temp);

        sink.send(List.of(TestLetters.letter("1", "{oops")));
        sink.send(List.of(TestLetters.letter("1", "{oops")));

        assertEquals(1, filesIn(temp).size());
    }

    @Test
    void failsLoudlyWhenItCannotWrite() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("file"), "x");
        DirectoryDeadLetterSink sink = new DirectoryDeadLetterSink(notADirectory);

        DeadLetterException e = assertThrows(DeadLetterException.class,
                () -> sink.send(List.of(TestLetters.letter("1", "{oops"))));

        assertTrue(e.getMessage().contains(notADirectory.toString()), e.getMessage());
    }

    @Test
    void describesTheDirectory() {
        assertEquals("directory " + temp.toAbsolutePath(), new DirectoryDeadLetterSink(temp).describe());
    }

    private static List<Path> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted(Comparator.comparing(Path::toString)).toList();
        }
    }
}
