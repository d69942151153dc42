package dev.cdcrelay.backfill;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.write.Deadline;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * Loads the items of snapshot sources into the sink through {@link Relay#apply}, the stream's own
 * path, in batches. One loader uses one relay (one connection); run one loader per thread.
 *
 * <p>Nothing is skipped silently: an item that is not DynamoDB JSON is named by source and line
 * (and dead-lettered when the relay has a dead-letter destination), a source that breaks is named
 * with the line it broke after, and items the sink did not take are counted and reported. Items
 * before a problem stay loaded; loading the same snapshot again is always safe, because every
 * item carries the same version and the sink keeps the newest.
 */
public final class SnapshotLoader {

    private final Relay relay;
    private final SnapshotRecords records;
    private final int batchSize;
    private final ChangeDecoder decoder = new ChangeDecoder();

    public SnapshotLoader(Relay relay, SnapshotRecords records, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.relay = relay;
        this.records = records;
        this.batchSize = batchSize;
    }

    /**
     * Loads every item of one source.
     *
     * @param sourceIndex 0-based, unique per source of this snapshot (it is part of each item's
     *                    sequence number, see {@link SnapshotPoint#sequenceNumber})
     * @param progress    told the number of items done after each batch (loaded or not)
     */
    public SourceOutcome load(String source, int sourceIndex, ItemLines lines, LongConsumer progress) {
        List<String> problems = new ArrayList<>();
        List<IncomingRecord> batch = new ArrayList<>(batchSize);
        List<Long> lineOf = new ArrayList<>(batchSize);
        long line = 0;
        Applied applied = Applied.NONE;
        try {
            for (Optional<byte[]> item = lines.next(); item.isPresent(); item = lines.next()) {
                line++;
                try {
                    batch.add(records.toRecord(item.get(), SnapshotPoint.sequenceNumber(sourceIndex, line)));
                    lineOf.add(line);
                } catch (InvalidSnapshotItemException e) {
                    problems.add(source + " line " + line + ": " + e.getMessage());
                    progress.accept(1);
                }
                if (batch.size() == batchSize) {
                    applied = applied.plus(apply(source, batch, lineOf, problems, progress));
                }
            }
        } catch (IOException e) {
            problems.add(source + " after line " + line + ": " + describe(e) + "; the items after it were not read");
        }
        if (!batch.isEmpty()) {
            applied = applied.plus(apply(source, batch, lineOf, problems, progress));
        }
        return new SourceOutcome(source, line, applied.loaded(), problems, applied.notTaken());
    }

    /** What became of the batches so far: items in the sink, valid items the sink did not take. */
    private record Applied(long loaded, long notTaken) {
        static final Applied NONE = new Applied(0, 0);

        Applied plus(Applied other) {
            return new Applied(loaded + other.loaded, notTaken + other.notTaken);
        }
    }

    private Applied apply(String source, List<IncomingRecord> batch, List<Long> lineOf, List<String> problems,
                          LongConsumer progress) {
        BatchResult result = relay.apply(batch, Deadline.none());
        long notTaken = 0;
        if (result.failed() > 0 || result.deadLettered() > 0) {
            notTaken = explain(source, batch, lineOf, result, problems);
        }
        progress.accept(batch.size());
        batch.clear();
        lineOf.clear();
        // Skipped: the sink already holds a newer change of the item (or the same one): handled.
        return new Applied(result.applied() + result.skipped(), notTaken);
    }

    /**
     * Names what the relay did not load. Relay reports counts and the first failed record only, so
     * the batch is decoded once more here to name each invalid item; this runs only on failure.
     *
     * @return the valid items the sink did not take
     */
    private long explain(String source, List<IncomingRecord> batch, List<Long> lineOf, BatchResult result,
                         List<String> problems) {
        int invalid = 0;
        for (int i = 0; i < batch.size(); i++) {
            try {
                decoder.decode(batch.get(i));
            } catch (InvalidRecordException e) {
                invalid++;
                problems.add(source + " line " + lineOf.get(i) + ": not a valid DynamoDB item: "
                        + withoutRecordPrefix(e.getMessage(), batch.get(i).sequenceNumber())
                        + (result.deadLettered() > 0 ? " (sent to the dead-letter destination)" : ""));
            }
        }
        long notTaken = result.failed() + result.deadLettered() - invalid;
        if (notTaken > 0) {
            problems.add(source + " lines " + lineOf.get(0) + ".." + lineOf.get(lineOf.size() - 1) + ": the sink did not take "
                    + notTaken + " item(s); load again to retry (it is safe): " + result.failureReasons());
        }
        return Math.max(0, notTaken);
    }

    private static String withoutRecordPrefix(String message, String sequenceNumber) {
        String prefix = "record " + sequenceNumber + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String describe(IOException e) {
        String kind = e instanceof ZipException || e instanceof EOFException
                ? "corrupt or truncated gzip" : "read error";
        return kind + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
    }
}
