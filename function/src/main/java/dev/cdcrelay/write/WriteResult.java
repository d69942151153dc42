package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;

import java.util.Map;

/**
 * What became of each item the writer was given.
 *
 * @param outcomes  per item: applied, failed with a reason and whether a retry may help, or stopped by a
 *                  fault of the sink
 * @param counters  figures for the log line and the tests
 */
public record WriteResult(Map<ItemKey, Outcome> outcomes, Counters counters) {

    public sealed interface Outcome {
        /** Stored as sent, or rightly not stored because the sink holds a newer change. */
        record Applied(boolean superseded) implements Outcome {
        }

        /** Not stored. {@code transientFailure} says whether a later retry may succeed. */
        record Failed(String reason, boolean transientFailure) implements Outcome {
        }

        /**
         * Not stored because of the sink, not the record (the table is blocked, missing, of another
         * layout, or not ours to write): never dead-lettered, not retried in place, reported so
         * that Lambda re-delivers the batch.
         */
        record SinkFaulted(SinkFault fault) implements Outcome {
        }
    }

    /** Mutable tallies of one write. */
    public static final class Counters {
        public int upserted;
        public int deleted;
        public int superseded;
        public int divertedAttributes;
        public int inexactNumbers;
        public int rowsStoredInAuxOnly;
        public int statements;
        public int attempts;
        /** Conditional writes that met a concurrent change of their row and were re-read and retried. */
        public int conflictsRetried;

        /** Adds another write's tallies to these; attempts is the most any of them took. */
        public void add(Counters other) {
            upserted += other.upserted;
            deleted += other.deleted;
            superseded += other.superseded;
            divertedAttributes += other.divertedAttributes;
            inexactNumbers += other.inexactNumbers;
            rowsStoredInAuxOnly += other.rowsStoredInAuxOnly;
            statements += other.statements;
            attempts = Math.max(attempts, other.attempts);
            conflictsRetried += other.conflictsRetried;
        }

        @Override
        public String toString() {
            return "upserted=" + upserted + " deleted=" + deleted + " superseded=" + superseded
                    + " divertedAttributes=" + divertedAttributes + " inexactNumbers=" + inexactNumbers
                    + " rowsStoredInAuxOnly=" + rowsStoredInAuxOnly + " statements=" + statements
                    + " attempts=" + attempts + " conflictsRetried=" + conflictsRetried;
        }
    }
}
