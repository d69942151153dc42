package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading ahead hands out exactly what the input's reader gives, and no more than its bound waits. */
class ReadAheadTest {

    /** Records 0, 1, 2, ... of {@code bytes} bytes each; after {@code count} of them, {@code end}. */
    private static final class Counting implements RecordReader {
        final AtomicInteger read = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        private final int count;
        private final int bytes;
        private final Optional<Exception> end;

        Counting(int count, int bytes, Optional<Exception> end) {
            this.count = count;
            this.bytes = bytes;
            this.end = end;
        }

        @Override
        public Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException {
            int n = read.get();
            if (n == count) {
                if (end.isPresent() && end.get() instanceof ReplayInput.InvalidInputException invalid) {
                    throw invalid;
                }
                if (end.isPresent()) {
                    throw (IOException) end.get();
                }
                return Optional.empty();
            }
            read.incrementAndGet();
            return Optional.of(new IncomingRecord(Integer.toString(n), "", new byte[bytes], 0));
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static List<String> drain(RecordReader reader) throws Exception {
        List<String> sequences = new ArrayList<>();
        for (Optional<IncomingRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
            sequences.add(r.get().sequenceNumber());
        }
        return sequences;
    }

    @Test
    void handsOutEveryRecordInOrderThenTheEnd() throws Exception {
        Counting input = new Counting(2_500, 10, Optional.empty());
        try (ReadAhead reader = new ReadAhead(input, "in.json", 100, 1_000_000)) {
            List<String> sequences = drain(reader);

            assertEquals(2_500, sequences.size());
            for (int i = 0; i < sequences.size(); i++) {
                assertEquals(Integer.toString(i), sequences.get(i));
            }
            assertEquals(Optional.empty(), reader.next(), "asked again after the end");
        }
        assertTrue(input.closed.get());
    }

    @Test
    void anInvalidSpotIsThrownAfterEveryRecordBeforeIt() throws Exception {
        Counting input = new Counting(7, 10, Optional.of(
                new ReplayInput.InvalidInputException("in.json: Records[7].kinesis.data is not base64", null)));
        try (ReadAhead reader = new ReadAhead(input, "in.json", 3, 1_000_000)) {
            for (int i = 0; i < 7; i++) {
                assertEquals(Integer.toString(i), reader.next().orElseThrow().sequenceNumber());
            }
            ReplayInput.InvalidInputException e = assertThrows(ReplayInput.InvalidInputException.class, reader::next);
            assertEquals("in.json: Records[7].kinesis.data is not base64", e.getMessage());
        }
    }

    @Test
    void aReadErrorIsThrownAfterEveryRecordBeforeIt() throws Exception {
        Counting input = new Counting(4, 10, Optional.of(new IOException("disk gone")));
        try (ReadAhead reader = new ReadAhead(input, "in.json", 2, 1_000_000)) {
            assertEquals(List.of("0", "1", "2", "3"), List.of(reader.next().orElseThrow().sequenceNumber(),
                    reader.next().orElseThrow().sequenceNumber(), reader.next().orElseThrow().sequenceNumber(),
                    reader.next().orElseThrow().sequenceNumber()));
            assertEquals("disk gone", assertThrows(IOException.class, reader::next).getMessage());
        }
    }

    @Test
    void readsNoFurtherAheadThanItsRecordBound() throws Exception {
        Counting input = new Counting(10_000, 10, Optional.empty());
        try (ReadAhead reader = new ReadAhead(input, "in.json", 50, 1_000_000)) {
            assertEquals(51, readUntilItWaits(input), "50 waiting and 1 read that waits for room");
            reader.next();
            assertEquals(52, readUntilItWaits(input));
        }
    }

    @Test
    void readsNoFurtherAheadThanItsByteBoundButPassesOnARecordLargerThanIt() throws Exception {
        Counting small = new Counting(10_000, 100, Optional.empty());
        try (ReadAhead reader = new ReadAhead(small, "in.json", 1_000, 1_000)) {
            assertEquals(11, readUntilItWaits(small), "1,000 bytes waiting and 1 record that waits for room");
        }
        Counting large = new Counting(3, 5_000, Optional.empty());
        try (ReadAhead reader = new ReadAhead(large, "in.json", 1_000, 1_000)) {
            assertEquals(3, drain(reader).size());
        }
    }

    @Test
    void closingBeforeTheEndStopsReadingAndClosesTheInput() throws Exception {
        Counting input = new Counting(Integer.MAX_VALUE, 10, Optional.empty());
        ReadAhead reader = new ReadAhead(input, "in.json", 20, 1_000_000);
        reader.next();
        reader.next();

        reader.close();

        assertTrue(input.closed.get());
        int read = input.read.get();
        Thread.sleep(50);
        assertEquals(read, input.read.get(), "nothing read after close");
        assertTrue(read <= 23, "at most 2 taken, 20 waiting and 1 read: " + read);
    }

    /** How many records the input gave once the reading thread stopped asking (waits up to 5 s). */
    private static int readUntilItWaits(Counting input) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 500; i++) {
            Thread.sleep(10);
            int now = input.read.get();
            if (now == last) {
                Thread.sleep(100);
                if (input.read.get() == now) {
                    return now;
                }
            }
            last = now;
        }
        return input.read.get();
    }
}
