package dev.cdcrelay.relay;

import dev.cdcrelay.write.WriteResult;

import java.util.List;
import java.util.Optional;

/**
 * What one batch came to.
 *
 * @param counts               every record, counted once (they add up to the records received)
 * @param firstFailedSequence  the sequence number of the first record (in batch order) that was not
 *                             handled: what Lambda must re-deliver from; empty when all were handled
 * @param failureReasons       a few distinct reasons, for the log line
 * @param writer               the writer's tallies
 * @param timing               how long the write took and when the applied changes were made (for
 *                             the metrics: replication lag)
 */
public record BatchResult(RecordCounts counts, Optional<String> firstFailedSequence, List<String> failureReasons,
                          WriteResult.Counters writer, BatchTiming timing) {

    /** A result without timing (nothing was written, or the caller does not measure). */
    public BatchResult(RecordCounts counts, Optional<String> firstFailedSequence, List<String> failureReasons,
                       WriteResult.Counters writer) {
        this(counts, firstFailedSequence, failureReasons, writer, BatchTiming.NONE);
    }

    public boolean fullyHandled() {
        return firstFailedSequence.isEmpty();
    }

    public int received() {
        return counts.received();
    }

    public int applied() {
        return counts.applied();
    }

    public int skipped() {
        return counts.skipped();
    }

    public int deadLettered() {
        return counts.deadLettered();
    }

    public int failed() {
        return counts.failed();
    }

    /** One line, safe to log: counts and reasons, never payloads. */
    public String summary() {
        return counts
                + firstFailedSequence.map(s -> " firstFailedSequence=" + s).orElse("")
                + (writer == null ? "" : " " + writer)
                + (failureReasons.isEmpty() ? "" : " reasons=" + failureReasons);
    }
}
