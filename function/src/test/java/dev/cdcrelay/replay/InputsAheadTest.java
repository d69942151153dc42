package dev.cdcrelay.replay;

import dev.cdcrelay.decode.ChangeDecoder;

import dev.cdcrelay.kinesis.IncomingRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading ahead hands out every input, in order, with exactly what reading it alone gives, and no
 * more than its bound waits.
 */
class InputsAheadTest {

    private static final Supplier<ChangeDecoder> DECODER = ChangeDecoder::new;

    /** Records "name:0", "name:1", ... of {@code bytes} bytes; after {@code count} of them, {@code end}. */
    private static final class Fake implements RecordReader {
        private final String name;
        private final int count;
        private final int bytes;
        private final Optional<Exception> end;
        private final AtomicInteger readInAll;
        private int read;

        Fake(String name, int count, int bytes, Optional<Exception> end, AtomicInteger readInAll) {
            this.name = name;
            this.count = count;
            this.bytes = bytes;
            this.end = end;
            this.readInAll = readInAll;
        }

        @Override
        public Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException {
            if (read == count) {
                if (end.isPresent() && end.get() instanceof ReplayInput.InvalidInputException invalid) {
                    throw invalid;
                }
                if (end.isPresent()) {
                    throw (IOException) end.get();
                }
                return Optional.empty();
            }
            readInAll.incrementAndGet();
            return Optional.of(new IncomingRecord(name + ":" + read++, "", new byte[bytes], 0));
        }

        @Override
        public void close() {
        }
    }

    private final AtomicInteger readInAll = new AtomicInteger();

    private static ReplaySource source(String name) {
        return new ReplaySource.Stream(name, new ByteArrayInputStream(new byte[0]));
    }

    /** Each input name to its fake reader: {@code a} 3 records, ... */
    private InputsAhead.Opener opener(Map<String, Fake> inputs) {
        return source -> {
            Fake fake = inputs.get(source.name());
            if (fake == null) {
                throw new IOException(source.name() + ": no such file");
            }
            return fake;
        };
    }

    private Fake fake(String name, int count) {
        return new Fake(name, count, 10, Optional.empty(), readInAll);
    }

    private static List<String> drain(RecordReader reader) throws Exception {
        List<String> sequences = new ArrayList<>();
        for (Optional<IncomingRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
            sequences.add(r.get().sequenceNumber());
        }
        return sequences;
    }

    @Test
    void handsOutEveryInputInOrderEachWithItsRecordsThenItsEnd() throws Exception {
        InputsAhead inputs = new InputsAhead(List.of(source("a"), source("b"), source("c")).iterator(),
                opener(Map.of("a", fake("a", 3), "b", fake("b", 0), "c", fake("c", 2_500))), DECODER, 100, 1_000_000);

        InputsAhead.Input a = inputs.next().orElseThrow();
        assertEquals("a", a.source().name());
        assertEquals(List.of("a:0", "a:1", "a:2"), drain(a));
        assertEquals(Optional.empty(), a.next(), "asked again after the end");
        assertEquals(List.of(), drain(inputs.next().orElseThrow()));
        List<String> c = drain(inputs.next().orElseThrow());
        assertEquals(2_500, c.size());
        assertEquals("c:2499", c.get(2_499));
        assertEquals(Optional.empty(), inputs.next());
        assertEquals(List.of(), inputs.stop());
    }

    @Test
    void anInputsErrorIsThrownAfterEveryRecordBeforeItAndTheNextInputFollows() throws Exception {
        Fake bad = new Fake("bad", 7, 10, Optional.of(
                new ReplayInput.InvalidInputException("bad: Records[7].kinesis.data is not base64", null)), readInAll);
        InputsAhead inputs = new InputsAhead(List.of(source("bad"), source("gone"), source("c")).iterator(),
                opener(Map.of("bad", bad, "c", fake("c", 1))), DECODER, 3, 1_000_000);

        InputsAhead.Input first = inputs.next().orElseThrow();
        for (int i = 0; i < 7; i++) {
            assertEquals("bad:" + i, first.next().orElseThrow().sequenceNumber());
        }
        assertEquals("bad: Records[7].kinesis.data is not base64",
                assertThrows(ReplayInput.InvalidInputException.class, first::next).getMessage());
        InputsAhead.Input gone = inputs.next().orElseThrow();
        assertEquals("gone: no such file", assertThrows(IOException.class, gone::next).getMessage());
        assertEquals(List.of("c:0"), drain(inputs.next().orElseThrow()));
    }

    @Test
    void aListingThatFailsIsThrownWhereItFailed() throws Exception {
        Iterator<ReplaySource> listing = new Iterator<>() {
            private int listed;

            @Override
            public boolean hasNext() {
                if (listed == 1) {
                    throw new UncheckedIOException("cannot list letters/2026", new IOException("denied"));
                }
                return true;
            }

            @Override
            public ReplaySource next() {
                listed++;
                return source("a");
            }
        };
        InputsAhead inputs = new InputsAhead(listing, opener(Map.of("a", fake("a", 2))), DECODER, 100, 1_000_000);

        assertEquals(List.of("a:0", "a:1"), drain(inputs.next().orElseThrow()));
        assertEquals("cannot list letters/2026", assertThrows(UncheckedIOException.class, inputs::next).getMessage());
    }

    @Test
    void theFirstRecordIsKnownOnceReadBeforeAnyInputIsTakenAndItsInputStillHandsItOut() throws Exception {
        InputsAhead inputs = new InputsAhead(List.of(source("empty"), source("a")).iterator(),
                opener(Map.of("empty", fake("empty", 0), "a", fake("a", 3))), DECODER, 100, 1_000_000);

        assertEquals("a:0", inputs.first().orElseThrow().record().sequenceNumber(), "past an empty input");
        assertEquals(List.of(), drain(inputs.next().orElseThrow()));
        assertEquals(List.of("a:0", "a:1", "a:2"), drain(inputs.next().orElseThrow()));
    }

    @Test
    void noFirstRecordAfterAnInputThatFailedOrWhenThereIsNone() throws Exception {
        InputsAhead afterFailure = new InputsAhead(List.of(source("gone"), source("a")).iterator(),
                opener(Map.of("a", fake("a", 3))), DECODER, 100, 1_000_000);
        assertEquals(Optional.empty(), afterFailure.first(), "the replay may stop at the failed input");
        afterFailure.stop();

        InputsAhead none = new InputsAhead(List.of(source("empty")).iterator(), opener(Map.of("empty",
                fake("empty", 0))), DECODER, 100, 1_000_000);
        assertEquals(Optional.empty(), none.first());
    }

    @Test
    void readsNoFurtherAheadThanItsRecordBoundAcrossInputs() throws Exception {
        InputsAhead inputs = new InputsAhead(List.of(source("a"), source("b"), source("c")).iterator(),
                opener(Map.of("a", fake("a", 30), "b", fake("b", 30), "c", fake("c", 30))), DECODER, 50, 1_000_000);

        assertEquals(51, readUntilItWaits(), "50 waiting and 1 read that waits for room");
        InputsAhead.Input a = inputs.next().orElseThrow();
        a.next();
        assertEquals(52, readUntilItWaits());
        inputs.stop();
    }

    @Test
    void readsNoFurtherAheadThanItsByteBoundButPassesOnARecordLargerThanIt() throws Exception {
        Fake small = new Fake("small", 10_000, 100, Optional.empty(), readInAll);
        InputsAhead inputs = new InputsAhead(List.of(source("small")).iterator(), opener(Map.of("small", small)), DECODER,
                1_000, 1_000);
        assertEquals(11, readUntilItWaits(), "1,000 bytes waiting and 1 record that waits for room");
        inputs.stop();

        Fake large = new Fake("large", 3, 5_000, Optional.empty(), readInAll);
        InputsAhead alone = new InputsAhead(List.of(source("large")).iterator(), opener(Map.of("large", large)), DECODER,
                1_000, 1_000);
        assertEquals(3, drain(alone.next().orElseThrow()).size());
    }

    @Test
    void stoppingSaysWhichListedInputsWereNeverHandedOutAndLeavesTheRestListedLater() throws Exception {
        Iterator<ReplaySource> sources = List.of(source("a"), source("b"), source("c"), source("d"), source("e"))
                .iterator();
        InputsAhead inputs = new InputsAhead(sources, opener(Map.of("a", fake("a", 5), "b", fake("b", 5),
                "c", fake("c", 5), "d", fake("d", 100), "e", fake("e", 5))), DECODER, 20, 1_000_000);
        InputsAhead.Input a = inputs.next().orElseThrow();
        a.next();
        readUntilItWaits(); // a, b, c read; d read up to the bound

        List<ReplaySource> notHandedOut = inputs.stop();

        assertEquals(List.of("b", "c", "d"), notHandedOut.stream().map(ReplaySource::name).toList());
        assertEquals(notHandedOut, inputs.stop(), "the same when asked again");
        assertEquals("e", sources.next().name(), "not listed yet: left to the caller");
        int read = readInAll.get();
        Thread.sleep(50);
        assertEquals(read, readInAll.get(), "nothing read after stop");
        assertEquals(Optional.empty(), inputs.next());
    }

    @Test
    void closingAnInputBeforeItsEndStopsAllReading() throws Exception {
        InputsAhead inputs = new InputsAhead(List.of(source("a"), source("b")).iterator(),
                opener(Map.of("a", fake("a", 1_000), "b", fake("b", 5))), DECODER, 20, 1_000_000);
        InputsAhead.Input a = inputs.next().orElseThrow();
        a.next();

        a.close();

        assertTrue(readInAll.get() <= 22, "at most 1 taken, 20 waiting and 1 read: " + readInAll.get());
        assertEquals(Optional.empty(), inputs.next());
        assertEquals(List.of(), inputs.stop(), "b was never listed");
    }

    /** How many records were read once the reading thread stopped asking (waits up to 5 s). */
    private int readUntilItWaits() throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 500; i++) {
            Thread.sleep(10);
            int now = readInAll.get();
            if (now == last) {
                Thread.sleep(100);
                if (readInAll.get() == now) {
                    return now;
                }
            }
            last = now;
        }
        return readInAll.get();
    }
}
