package dev.cdcrelay.replay;

import dev.cdcrelay.relay.BatchResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a replay came to, and what to run again. The one place that prints the outcome.
 *
 * @param received           records read and handed to the relay
 * @param applied            of those, in the sink (or rightly superseded there)
 * @param skipped            deliberately not applied (TTL deletes kept by setting)
 * @param deadLettered       stored again in the dead-letter destination
 * @param failed             not handled: the inputs holding them are listed in {@code notFullyApplied}
 * @param inputsStarted      inputs opened
 * @param inputsHandled      inputs whose records were all handled
 * @param reasons            a few distinct reasons the relay gave for failures
 * @param notFullyApplied    inputs to replay again, each with why
 * @param notMoved           inputs fully handled whose follow-up (the S3 move) failed
 * @param notStarted         inputs never opened because the replay stopped, in order (at most
 *                           {@link #LISTED_NOT_STARTED}); {@code notStartedCount} says how many in all
 * @param stopReason         why the replay stopped early, if it did
 * @param badInput           an input was not valid (exit code 2)
 */
record ReplayReport(long received, long applied, long skipped, long deadLettered, long failed,
                    long inputsStarted, long inputsHandled, List<String> reasons,
                    List<Unfinished> notFullyApplied, List<Unfinished> notMoved,
                    List<String> notStarted, long notStartedCount, Optional<String> stopReason, boolean badInput) {

    static final int LISTED_NOT_STARTED = 1000;
    private static final int MAX_REASONS = 10;

    /** An input and why it has to be looked at again. */
    record Unfinished(String name, String why) {
    }

    /** 0 everything handled; 1 records not applied (or objects not moved); 2 an input is not valid. */
    int exitCode() {
        if (badInput) {
            return 2;
        }
        return failed > 0 || stopReason.isPresent() || !notFullyApplied.isEmpty() || !notMoved.isEmpty() ? 1 : 0;
    }

    void print(PrintStream out, long elapsedNanos) {
        out.println("replayed " + received + " record(s): applied=" + applied + " skipped=" + skipped
                + " deadLettered=" + deadLettered + " failed=" + failed);
        double seconds = elapsedNanos / 1e9;
        out.println(String.format(Locale.ROOT, "%d of %d input(s) fully handled, in %.1f s (%,d records/s)",
                inputsHandled, inputsStarted + notStartedCount, seconds,
                seconds > 0 ? Math.round(received / seconds) : 0));
        reasons.forEach(reason -> out.println("  reason: " + reason));
        stopReason.ifPresent(why -> out.println(why));
        if (!notFullyApplied.isEmpty() || notStartedCount > 0) {
            out.println("not fully applied; replay these again (replaying an applied record again is harmless):");
            notFullyApplied.forEach(u -> out.println("  " + u.name() + "  (" + u.why() + ")"));
            notStarted.forEach(name -> out.println("  " + name + "  (not started)"));
            if (notStartedCount > notStarted.size()) {
                out.println("  ... and " + (notStartedCount - notStarted.size()) + " more input(s) not started, "
                        + "in the same order after the last one listed");
            }
        }
        if (!notMoved.isEmpty()) {
            out.println("fully handled but not moved (move them by hand, or replay them again):");
            notMoved.forEach(u -> out.println("  " + u.name() + "  (" + u.why() + ")"));
        }
    }

    /** Collects as the replay goes. */
    static final class Builder {
        private long received;
        private long applied;
        private long skipped;
        private long deadLettered;
        private long failed;
        private long inputsStarted;
        private long inputsHandled;
        private final Set<String> reasons = new LinkedHashSet<>();
        private final List<Unfinished> notFullyApplied = new ArrayList<>();
        private final List<Unfinished> notMoved = new ArrayList<>();
        private final List<String> notStarted = new ArrayList<>();
        private long notStartedCount;
        private Optional<String> stopReason = Optional.empty();
        private boolean badInput;

        void add(BatchResult result) {
            received += result.received();
            applied += result.applied();
            skipped += result.skipped();
            deadLettered += result.deadLettered();
            failed += result.failed();
            for (String reason : result.failureReasons()) {
                if (reasons.size() < MAX_REASONS) {
                    reasons.add(reason);
                }
            }
        }

        void inputStarted() {
            inputsStarted++;
        }

        void fullyHandled() {
            inputsHandled++;
        }

        void notFullyApplied(String name, String why) {
            notFullyApplied.add(new Unfinished(name, why));
        }

        void handledButNotMoved(String name, String why) {
            inputsHandled++;
            notMoved.add(new Unfinished(name, why));
        }

        void notStarted(String name) {
            notStartedCount++;
            if (notStarted.size() < LISTED_NOT_STARTED) {
                notStarted.add(name);
            }
        }

        void stopped(String why) {
            stopReason = Optional.of(why);
        }

        void badInput() {
            badInput = true;
        }

        ReplayReport build() {
            return new ReplayReport(received, applied, skipped, deadLettered, failed, inputsStarted, inputsHandled,
                    List.copyOf(reasons), List.copyOf(notFullyApplied), List.copyOf(notMoved), List.copyOf(notStarted),
                    notStartedCount, stopReason, badInput);
        }
    }
}
