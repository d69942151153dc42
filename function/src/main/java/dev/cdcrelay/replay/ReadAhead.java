package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Reads one input on a thread of its own, ahead of the records asked for, so that parsing the
 * next records (JSON, base64) overlaps with the sink writing the chunk before them. Hands out
 * exactly what the input's reader gives, in the same order: each record, then the end, or the
 * error at the spot where the input went bad (after every record before it, as without it).
 *
 * <p>At most {@code maxRecords} records and {@code maxBytes} of payload wait here (a record
 * larger than that alone is still passed on), so memory holds this on top of one chunk. Closing
 * stops the reading thread after at most the record it is reading, then closes the input.
 */
final class ReadAhead implements RecordReader {

    /** The input's end: the reading thread is done. */
    private static final Object END = new Object();

    private final RecordReader input;
    private final int maxRecords;
    private final long maxBytes;
    private final Thread reading;

    // Guarded by this: what was read and not yet taken (IncomingRecord, a Throwable, or END).
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private boolean closed;
    private boolean endTaken;

    ReadAhead(RecordReader input, String name, int maxRecords, long maxBytes) {
        this.input = input;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.reading = new Thread(this::readAll, "replay-read " + name);
        reading.setDaemon(true); // never keeps the JVM alive: the replay's thread decides when it ends
        reading.start();
    }

    private void readAll() {
        try {
            for (Optional<IncomingRecord> r = input.next(); r.isPresent(); r = input.next()) {
                if (!put(r.get(), r.get().data().length)) {
                    return;
                }
            }
            put(END, 0);
        } catch (Throwable e) { // handed to the replay's thread, which throws it where the input went bad
            put(e, 0);
        }
    }

    /** Waits for room; false when closed (nothing more is wanted). */
    private synchronized boolean put(Object item, long bytes) {
        while (!closed && !waiting.isEmpty() && (waiting.size() >= maxRecords || waitingBytes + bytes > maxBytes)) {
            waitUninterrupted();
        }
        if (closed) {
            return false;
        }
        waiting.add(item);
        waitingBytes += bytes;
        notifyAll();
        return true;
    }

    @Override
    public synchronized Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException {
        while (waiting.isEmpty() && !endTaken) {
            waitUninterrupted();
        }
        if (endTaken) {
            return Optional.empty(); // asked again after the end or an error: as a reader at its end
        }
        Object item = waiting.poll();
        notifyAll();
        if (item instanceof IncomingRecord record) {
            waitingBytes -= record.data().length;
            return Optional.of(record);
        }
        endTaken = true;
        return item == END ? Optional.empty() : fail((Throwable) item);
    }

    /** What the input's reader threw, thrown here: its checked exceptions, or unchecked ones. */
    private static Optional<IncomingRecord> fail(Throwable e) throws ReplayInput.InvalidInputException, IOException {
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

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            waiting.clear();
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
        input.close();
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
}
