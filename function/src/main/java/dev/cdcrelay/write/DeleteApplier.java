package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.PlannedRow;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies REMOVEs: the tombstone first, then {@link GuardedDelete}. The order matters twice: if
 * the delete fails, a re-delivery finds the row and tries again while the tombstone already
 * keeps late older changes out; and a writer that creates the row after the delete has looked
 * finds the tombstone when it checks (see {@link Tombstones#removeCovered}).
 */
final class DeleteApplier {

    private final SinkTables tables;
    private final Attempt attempt;

    DeleteApplier(SinkTables tables, Attempt attempt) {
        this.tables = tables;
        this.attempt = attempt;
    }

    void apply(List<PlannedRow.Delete> deletes) throws SQLException {
        if (deletes.isEmpty()) {
            return;
        }
        int[] counts = new Tombstones(tables, attempt).record(deletes);
        List<PlannedRow.Delete> remembered = new ArrayList<>();
        for (int i = 0; i < deletes.size(); i++) {
            if (counts[i] == 1) {
                remembered.add(deletes.get(i));
            } else {
                attempt.outcomes().put(deletes.get(i).key(), new WriteResult.Outcome.Failed(
                        "the sink did not store the tombstone (rowcount " + counts[i] + ")", true));
            }
        }
        if (remembered.isEmpty()) {
            return;
        }
        WriteResult.Counters counters = attempt.counters();
        for (Map.Entry<ItemKey, GuardedDelete.Fate> e
                : new GuardedDelete(tables, attempt).apply(remembered).entrySet()) {
            WriteResult.Outcome outcome = switch (e.getValue()) {
                case REMOVED, ABSENT -> {
                    counters.deleted++;
                    yield new WriteResult.Outcome.Applied(false);
                }
                case NEWER -> {
                    counters.superseded++; // the row holds a newer change
                    yield new WriteResult.Outcome.Applied(true);
                }
                case UNSETTLED -> new WriteResult.Outcome.Failed(
                        "the row kept changing under concurrent writers; not deleted yet", true);
            };
            attempt.outcomes().put(e.getKey(), outcome);
        }
    }
}
