package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collapses a batch to the newest change per item. Delivery is at least once and not ordered, so
 * "newest" is decided by {@link dev.cdcrelay.decode.ChangeVersion}, never by position in the batch.
 */
public final class ChangeReducer {

    private ChangeReducer() {
    }

    /** The newest change of each item, in order of each item's first appearance. */
    public static Map<ItemKey, ChangeRecord> newestPerItem(Iterable<ChangeRecord> changes) {
        // Sized for a batch of distinct items up front: growing the table rehashes every entry.
        Map<ItemKey, ChangeRecord> newest = changes instanceof Collection<?> all
                ? new LinkedHashMap<>(all.size() * 4 / 3 + 1) : new LinkedHashMap<>();
        for (ChangeRecord c : changes) {
            newest.merge(c.itemKey(), c, (kept, next) -> next.version().compareTo(kept.version()) >= 0 ? next : kept);
        }
        return newest;
    }
}
