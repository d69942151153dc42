package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;

import java.util.List;

/** What the sink must do for one item: the result of planning its newest change. */
public sealed interface PlannedRow {

    ItemKey key();

    /** The change this row applies (the newest one of its item in the batch). */
    ChangeRecord change();

    /** Key values in key-schema order, converted to the sink's key column types. */
    List<Object> keyValues();

    /** {@link dev.cdcrelay.decode.ChangeVersion#sortKey()} of the change. */
    String version();

    /**
     * Store the full new image (replacing whatever the row held) unless the stored row is newer.
     *
     * @param pkJson             the key as a JSON object (attribute name to value)
     * @param dataJson           the image's attributes that the sink can type safely
     * @param auxJson            what must not go through type inference: diverted attributes and
     *                           exact copies of numbers a double cannot hold
     * @param divertedAttributes how many top-level attributes went to aux instead of data
     * @param inexactNumbers     how many numbers in data are not exactly the source value
     */
    record Upsert(ItemKey key, ChangeRecord change, List<Object> keyValues, String pkJson, String dataJson,
                  String auxJson, String version, int divertedAttributes, int inexactNumbers) implements PlannedRow {
    }

    /** Delete the row unless it holds a newer change; remember the delete against late older changes. */
    record Delete(ItemKey key, ChangeRecord change, List<Object> keyValues, String version) implements PlannedRow {
    }
}
