package dev.cdcrelay.replay;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.DecodedRecord;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the inputs one after the other, record by record, and hands the relay a chunk whenever
 * {@code chunkSize} records or {@link #MAX_CHUNK_BYTES} are gathered (a chunk may span inputs: a
 * directory of one-record dead letters still goes to the sink many at a time). The inputs are
 * read on a thread of their own ({@link InputsAhead}) at most one chunk ahead of the one being
 * applied: memory holds two chunks at most, never an input.
 *
 * <p>Every record is counted once, in the chunk that carried it. An input is <em>fully handled</em>
 * when it was read to its end and none of its records failed; then {@link AfterHandled} runs for it
 * (moving the S3 object, say). The relay only names the first record of a chunk that was not
 * handled, so that record and every later record of the chunk count as not applied, and their
 * inputs are reported for a re-run: sometimes one input too many, never one too few.
 *
 * <p>Stops after {@link FailureLimit} chunks with failures (the sink is down: going on only piles
 * up failures), and at the first input that is not valid (after applying what came before it).
 */
final class ReplayRun {

    /**
     * A chunk is also closed at this many payload bytes: what one Lambda invocation can carry
     * (6 MB), so a chunk never asks more memory of the relay than production does. Without it a
     * thousand 400 KB items would make a 400 MB chunk.
     */
    static final long MAX_CHUNK_BYTES = 6L * 1024 * 1024;

    /** The relay, one chunk at a time. */
    @FunctionalInterface
    interface ChunkApplier {
        BatchResult apply(List<DecodedRecord> chunk);
    }

    /** What to do with an input whose records were all handled; a problem comes back as text. */
    @FunctionalInterface
    interface AfterHandled {
        Optional<String> handled(ReplaySource source);

        AfterHandled NOTHING = source -> Optional.empty();
    }

    /** When to give up: after this many chunks with failed records. */
    record FailureLimit(int chunks) {
        static FailureLimit afterChunks(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("the limit of failed chunks must be at least 1, got " + chunks);
            }
            return new FailureLimit(chunks);
        }

        static FailureLimit never() {
            return new FailureLimit(Integer.MAX_VALUE);
        }

        boolean reachedBy(int failedChunks) {
            return failedChunks >= chunks;
        }
    }

    private final ChunkApplier relay;
    private final AfterHandled afterHandled;
    private final int chunkSize;
    private final FailureLimit failureLimit;
    private final ProgressLine progress;

    private final List<PendingRecord> chunk = new ArrayList<>();
    private long chunkBytes;
    private final ReplayReport.Builder report = new ReplayReport.Builder();
    private int failedChunks;
    private boolean stopped;

    ReplayRun(ChunkApplier relay, AfterHandled afterHandled, int chunkSize, FailureLimit failureLimit,
              ProgressLine progress) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        this.relay = relay;
        this.afterHandled = afterHandled;
        this.chunkSize = chunkSize;
        this.failureLimit = failureLimit;
        this.progress = progress;
    }

    /**
     * The inputs, read on a thread of their own ({@link InputsAhead}) from the moment this exists:
     * it may start before the sink is reached, so the first chunk is read while connecting.
     * {@link #stop} it when it is not handed to {@link #run} (run stops it itself).
     */
    static final class Reading {
        private final Iterator<ReplaySource> sources;
        /** Bytes read and not yet shown: counted on the reading thread, shown on the replay's. */
        private final AtomicLong bytesRead = new AtomicLong();
        private final InputsAhead inputs;

        Reading(Iterator<ReplaySource> sources, int chunkSize) {
            this.sources = sources;
            this.inputs = new InputsAhead(sources, this::open, ChangeDecoder::new, chunkSize, MAX_CHUNK_BYTES);
        }

        /**
         * The change of the first record read, waiting for it: empty when that record could not be
         * decoded, or when reading ended or failed before any record.
         */
        Optional<ChangeRecord> firstChange() {
            return inputs.first().flatMap(r -> Optional.ofNullable(r.change()));
        }

        /** Stops reading; the inputs listed and not handed out (they were not started). */
        List<ReplaySource> stop() {
            return inputs.stop();
        }

        private RecordReader open(ReplaySource source) throws IOException, ReplayInput.InvalidInputException {
            return ReplayInput.open(source.name(), counted(source.open()), source.form());
        }

        private InputStream counted(InputStream input) {
            return new FilterInputStream(input) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    bytesRead.addAndGet(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    bytesRead.addAndGet(Math.max(0, n));
                    return n;
                }
            };
        }
    }

    ReplayReport run(Reading reading) {
        List<ReplaySource> listedNotStarted;
        try {
            for (Optional<InputsAhead.Input> input = reading.inputs.next(); input.isPresent();
                 input = stopped ? Optional.empty() : reading.inputs.next()) {
                replay(input.get(), reading.bytesRead);
            }
            flush();
        } finally {
            listedNotStarted = reading.stop();
        }
        for (ReplaySource source : listedNotStarted) {
            report.notStarted(source.name());
        }
        while (reading.sources.hasNext()) {
            report.notStarted(reading.sources.next().name());
        }
        progress.finished();
        return report.build();
    }

    private void replay(InputsAhead.Input reader, AtomicLong bytesRead) {
        InputState input = new InputState(reader.source());
        progress.inputStarted();
        report.inputStarted();
        try (reader) {
            for (Optional<DecodedRecord> r = reader.nextDecoded(); r.isPresent(); r = reader.nextDecoded()) {
                progress.bytesRead(bytesRead.getAndSet(0));
                input.readCount++;
                input.pending++;
                chunk.add(new PendingRecord(r.get(), input));
                chunkBytes += r.get().record().data().length;
                if (chunk.size() >= chunkSize || chunkBytes >= MAX_CHUNK_BYTES) {
                    flush();
                }
                if (stopped) {
                    if (reader.next().isPresent()) {
                        input.problem("stopped before its end (" + input.readCount + " record(s) read)");
                    }
                    break;
                }
            }
        } catch (ReplayInput.InvalidInputException e) {
            input.problem(e.getMessage());
            report.badInput();
            flush(); // what came before the bad spot is valid: apply it
            stop("stopped at invalid input: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            input.problem("cannot read it: " + e.getMessage());
        }
        progress.bytesRead(bytesRead.getAndSet(0));
        input.readDone = true;
        settleIfDone(input);
    }

    private void flush() {
        if (chunk.isEmpty()) {
            return;
        }
        BatchResult result = relay.apply(chunk.stream().map(PendingRecord::decoded).toList());
        report.add(result);
        if (result.failed() > 0) {
            failedChunks++;
            int first = firstNotApplied(result);
            String firstSequence = chunk.get(first).record().sequenceNumber();
            for (PendingRecord p : chunk.subList(first, chunk.size())) {
                p.input.notApplied(p.record().sequenceNumber().equals(firstSequence)
                        ? "records not applied, the first: sequence number " + firstSequence
                        : "not confirmed applied: after sequence number " + firstSequence
                                + " in the same chunk, which was not applied");
            }
        }
        Set<InputState> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PendingRecord p : chunk) {
            p.input.pending--;
            inputs.add(p.input);
        }
        chunk.clear();
        chunkBytes = 0;
        inputs.forEach(this::settleIfDone);
        progress.recordsApplied(result.received());
        if (result.failed() > 0 && failureLimit.reachedBy(failedChunks)) {
            stop("stopped after " + failedChunks + " chunk(s) with records not applied (--max-failed-chunks "
                    + failureLimit.chunks() + "; --keep-going reads every input whatever fails)");
        }
    }

    /** Where in the chunk the relay's first unhandled record is; the whole chunk if it cannot be found. */
    private int firstNotApplied(BatchResult result) {
        String sequence = result.firstFailedSequence().orElse("");
        for (int i = 0; i < chunk.size(); i++) {
            if (chunk.get(i).record().sequenceNumber().equals(sequence)) {
                return i;
            }
        }
        return 0;
    }

    private void settleIfDone(InputState input) {
        if (!input.readDone || input.pending > 0 || input.settled) {
            return;
        }
        input.settled = true;
        Optional<String> problem = input.problem.or(() -> input.notApplied);
        if (problem.isPresent()) {
            report.notFullyApplied(input.source.name(), problem.get());
            return;
        }
        Optional<String> afterProblem = afterHandled.handled(input.source);
        if (afterProblem.isPresent()) {
            report.handledButNotMoved(input.source.name(), afterProblem.get());
        } else {
            report.fullyHandled();
        }
    }

    private void stop(String why) {
        if (!stopped) {
            stopped = true;
            report.stopped(why);
        }
    }

    private record PendingRecord(DecodedRecord decoded, InputState input) {
        IncomingRecord record() {
            return decoded.record();
        }
    }

    /** One input while it is read and its chunks are applied. Identity matters, not value. */
    private static final class InputState {
        final ReplaySource source;
        int readCount;
        int pending;
        boolean readDone;
        boolean settled;
        Optional<String> problem = Optional.empty();
        Optional<String> notApplied = Optional.empty();

        InputState(ReplaySource source) {
            this.source = source;
        }

        void problem(String text) {
            if (problem.isEmpty()) {
                problem = Optional.of(text);
            }
        }

        void notApplied(String why) {
            if (notApplied.isEmpty()) {
                notApplied = Optional.of(why);
            }
        }
    }
}
