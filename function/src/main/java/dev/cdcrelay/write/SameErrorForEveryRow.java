package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spots an attempt in which every row the database judged was refused, each on its own, with
 * the very same error. Row-level errors name the row's value or size; an error that reads the
 * same for every row of the chunk does not depend on the rows, so it is the sink's problem and
 * dead-lettering them would park good records (issue: a blocked table dead-lettered everything).
 */
final class SameErrorForEveryRow {

    /** At least this many rows must agree: one row alone cannot tell its fault from the table's. */
    static final int MIN_ROWS = 2;

    private SameErrorForEveryRow() {
    }

    /** The shared reason and how many rows gave it, when the attempt is such a case. */
    static Optional<Shared> of(Map<ItemKey, WriteResult.Outcome> outcomes, Set<ItemKey> unplannable) {
        String reason = null;
        int rows = 0;
        for (Map.Entry<ItemKey, WriteResult.Outcome> e : outcomes.entrySet()) {
            if (unplannable.contains(e.getKey())) {
                continue;
            }
            if (!(e.getValue() instanceof WriteResult.Outcome.Failed f) || f.transientFailure()) {
                return Optional.empty();
            }
            if (reason != null && !reason.equals(f.reason())) {
                return Optional.empty();
            }
            reason = f.reason();
            rows++;
        }
        return rows >= MIN_ROWS ? Optional.of(new Shared(reason, rows)) : Optional.empty();
    }

    record Shared(String reason, int rows) {
    }
}
