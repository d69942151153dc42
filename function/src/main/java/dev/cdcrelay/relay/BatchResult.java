package dev.cdcrelay.relay;

import dev.cdcrelay.write.WriteResult;

import java.util.List;
import java.util.Optional;

/**
 * What one batch came to.
 *
 * @param received             records in the batch
 * @param applied              records whose change is in the sink (or rightly superseded there)
 * @param skipped              records deliberately not applied (TTL deletes kept by setting)
 * @param deadLettered         records stored in the dead-letter destination
 * @param failed               records not handled: the batch must be re-delivered from the first
 * @param firstFailedSequence  the sequence number of the first record (in batch order) that was not
 *                             handled: what Lambda must re-deliver from; empty when all were handled
 * @param failureReasons       a few distinct reasons, for the log line
 * @param writer               the writer's tallies
 * @param timing               how long the write took and when the applied changes were made (for
 *                             the metrics: replication lag)
 */
public record BatchResult(int received, int applied, int skipped, int deadLettered, int failed,
                          Optional<String> firstFailedSequence, List<String> failureReasons,
                          WriteResult.Counters writer, BatchTiming timing) {

    /** A result without timing (nothing was written, or the caller does not measure). */
    public BatchResult(int received, int applied, int skipped, int deadLettered, int failed,
                       Optional<String> firstFailedSequence, List<String> failureReasons,
                       WriteResult.Counters writer) {
        this(received, applied, skipped, deadLettered, failed, firstFailedSequence, failureReasons, writer,
                BatchTiming.NONE);
    }

    public boolean fullyHandled() {
        return firstFailedSequence.isEmpty();
    }

    /** One line, safe to log: counts and reasons, never payloads. */
    public String summary() {
        return "received=" + received + " applied=" + applied + " skipped=" + skipped + " deadLettered="
                + deadLettered + " failed=" + failed
                + firstFailedSequence.map(s -> " firstFailedSequence=" + s).orElse("")
                + (writer == null ? "" : " " + writer)
                + (failureReasons.isEmpty() ? "" : " reasons=" + failureReasons);
    }
}
