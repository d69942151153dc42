package dev.cdcrelay.replay;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.relay.DecodedRecord;

import dev.cdcrelay.kinesis.IncomingRecord;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the inputs one after the other on a thread of its own, ahead of the replay, so that
 * opening and parsing the next records (JSON, base64) overlaps with the sink writing the chunk
 * before them, also across inputs: the next event file is read while the last chunk of this one
 * is written. The replay's thread gets each input, in order, as a {@link RecordReader} that gives
 * exactly what reading it alone would: its records, then its end, or the error at the spot where
 * it went bad (after every record before it).
 *
 * <p>At most {@code maxRecords} records and {@code maxBytes} of payload wait here in all (a
 * record larger than that alone is still passed on), so memory holds this on top of one chunk.
 * Only the input being read is open. {@link #stop} stops the reading after at most the record
 * it is reading and says which inputs were listed but never handed out.
 */
final class InputsAhead {

    /** Opens one input for reading (the reading thread calls it). */
    @FunctionalInterface
    interface Opener {
        RecordReader open(ReplaySource source) throws IOException, ReplayInput.InvalidInputException;
    }

    /** What the reading thread hands over, in order. */
    private sealed interface Item {
    }

    private record Started(ReplaySource source) implements Item {
    }

    private record Read(DecodedRecord record) implements Item {
    }

    /** The input's end: {@code problem} is what its reader threw, if anything. */
    private record Ended(Optional<Throwable> problem) implements Item {
    }

    /** Listing the inputs failed (a directory that cannot be read): thrown where it happened. */
    private record ListingFailed(RuntimeException problem) implements Item {
    }

    private record AllRead() implements Item {
    }

    private final Iterator<ReplaySource> sources;
    private final Opener opener;
    private final Supplier<ChangeDecoder> newDecoder;
    private final int maxRecords;
    private final long maxBytes;
    private final Thread reading;

    // Guarded by this.
    private final ArrayDeque<Item> waiting = new ArrayDeque<>();
    private int waitingRecords;
    private long waitingBytes;
    private boolean closed;
    private boolean allTaken;
    private Optional<List<ReplaySource>> notHandedOut = Optional.empty(); // once closed
    private Optional<DecodedRecord> first = Optional.empty();
    private boolean firstSettled; // the first record was read, or reading ended or failed before one

    /**
     * @param newDecoder makes the decoder of each record, called on the reading thread: decoding
     *                   there leaves the replay's thread only the writes, and making the decoder
     *                   there (tens of ms of class loading in a fresh JVM) lets it connect sooner
     */
    InputsAhead(Iterator<ReplaySource> sources, Opener opener, Supplier<ChangeDecoder> newDecoder, int maxRecords,
                long maxBytes) {
        this.sources = sources;
        this.opener = opener;
        this.newDecoder = newDecoder;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.reading = new Thread(this::readAll, "replay-read-ahead");
        reading.setDaemon(true); // never keeps the JVM alive: the replay's thread decides when it ends
        reading.start();
    }

    /**
     * The next input, its records read on the reading thread; empty after the last one (or after
     * {@link #stop}). Takes the inputs in order: the previous one must have been read to its end.
     *
     * @throws RuntimeException what listing the inputs threw, at the place it happened
     */
    synchronized Optional<Input> next() {
        Item item = take();
        if (item instanceof Started started) {
            return Optional.of(new Input(started.source()));
        }
        allTaken = true;
        if (item instanceof ListingFailed failed) {
            throw failed.problem();
        }
        return Optional.empty();
    }

    /**
     * The first record read, as soon as it is read (the replay's thread may still be connecting);
     * empty when reading ended, failed or was stopped before any record. Waits for it.
     */
    synchronized Optional<DecodedRecord> first() {
        while (!firstSettled && !closed) {
            waitUninterrupted();
        }
        return first;
    }

    /**
     * Stops reading and returns the inputs listed but not handed out (they were not started); the
     * same list when called again. The inputs not listed yet stay in the iterator given, for the
     * caller to go on with.
     */
    List<ReplaySource> stop() {
        synchronized (this) {
            if (notHandedOut.isPresent()) {
                return notHandedOut.get();
            }
            closed = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (reading.isAlive()) {
            try {
                reading.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            List<ReplaySource> listed = new ArrayList<>();
            for (Item item : waiting) {
                if (item instanceof Started started) {
                    listed.add(started.source());
                }
            }
            waiting.clear();
            allTaken = true;
            notHandedOut = Optional.of(List.copyOf(listed));
            return notHandedOut.get();
        }
    }

    /** One input's records as the reading thread read them. Closing it early stops all reading. */
    final class Input implements RecordReader {
        private final ReplaySource source;
        private boolean ended;

        private Input(ReplaySource source) {
            this.source = source;
        }

        ReplaySource source() {
            return source;
        }

        @Override
        public Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException {
            return nextDecoded().map(DecodedRecord::record);
        }

        /** {@link #next}, with the record decoded on the reading thread. */
        Optional<DecodedRecord> nextDecoded() throws ReplayInput.InvalidInputException, IOException {
            synchronized (InputsAhead.this) {
                if (ended) {
                    return Optional.empty(); // asked again after the end or an error: as a reader at its end
                }
                Item item = take();
                if (item instanceof Read read) {
                    return Optional.of(read.record());
                }
                ended = true;
                if (item instanceof Ended end && end.problem().isPresent()) {
                    return fail(end.problem().get());
                }
                return Optional.empty(); // its end, or everything was closed
            }
        }

        /** At its end this only marks it done; before it, nothing more is wanted from any input. */
        @Override
        public void close() {
            synchronized (InputsAhead.this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            InputsAhead.this.stop();
        }
    }

    /** The reading thread: every input in turn, each to its end, while there is room. */
    private void readAll() {
        try {
            ChangeDecoder decoder = newDecoder.get();
            while (sources.hasNext()) {
                ReplaySource source = sources.next();
                if (!put(new Started(source), 0) || !readOne(source, decoder)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            put(new ListingFailed(e), 0);
            return;
        } finally {
            settleFirst(Optional.empty()); // however this thread ends, nobody waits for a first record
        }
        put(new AllRead(), 0);
    }

    private synchronized void settleFirst(Optional<DecodedRecord> record) {
        if (!firstSettled) {
            first = record;
            firstSettled = true;
            notifyAll();
        }
    }

    /** Reads one input to its end (or the error); false when closed meanwhile. */
    private boolean readOne(ReplaySource source, ChangeDecoder decoder) {
        Optional<Throwable> problem = Optional.empty();
        try (RecordReader reader = opener.open(source)) {
            for (Optional<IncomingRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
                if (!put(new Read(DecodedRecord.of(r.get(), decoder)), r.get().data().length)) {
                    return false;
                }
            }
        } catch (Throwable e) { // the input's own problem (or the close's), handed over in its place
            problem = Optional.of(e);
        }
        return put(new Ended(problem), 0);
    }

    /** Waits for room; false when closed (nothing more is wanted). */
    private synchronized boolean put(Item item, long bytes) {
        boolean isRecord = item instanceof Read;
        while (!closed && isRecord && waitingRecords > 0
                && (waitingRecords >= maxRecords || waitingBytes + bytes > maxBytes)) {
            waitUninterrupted();
        }
        if (closed) {
            return false;
        }
        if (isRecord) {
            settleFirst(Optional.of(((Read) item).record()));
        } else if (item instanceof Ended end && end.problem().isPresent()) {
            settleFirst(Optional.empty()); // the first record would come after a bad input
        }
        waiting.add(item);
        if (isRecord) {
            waitingRecords++;
            waitingBytes += bytes;
        }
        notifyAll();
        return true;
    }

    /** The next item, waiting for it; {@link AllRead} once closed or at the end. Holds the lock. */
    private Item take() {
        while (waiting.isEmpty() && !closed && !allTaken) {
            waitUninterrupted();
        }
        Item item = waiting.poll();
        if (item == null) {
            return new AllRead();
        }
        if (item instanceof Read read) {
            waitingRecords--;
            waitingBytes -= read.record().record().data().length;
        }
        notifyAll();
        return item;
    }

    // Each thread waits only for the other, which wakes it; nothing interrupts them. Should
    // something do so, fail loudly rather than go on waiting.
    private void waitUninterrupted() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ahead", e);
        }
    }

    /** What the input's reader threw, thrown here: its checked exceptions, or unchecked ones. */
    private static <T> Optional<T> fail(Throwable e) throws ReplayInput.InvalidInputException, IOException {
        if (e instanceof ReplayInput.InvalidInputException invalid) {
            throw invalid;
        }
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        throw (Error) e;
    }
}
