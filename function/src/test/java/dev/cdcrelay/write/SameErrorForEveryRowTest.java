package dev.cdcrelay.write;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a row-level verdict is really the table's: every judged row refused alike, at least two. */
class SameErrorForEveryRowTest {

    private static final WriteResult.Outcome REFUSED = new WriteResult.Outcome.Failed("the sink rejected the row: [XX000] x", false);

    private static ItemKey key(String id) {
        return ItemKey.of(Map.of("id", new DynamoValue.Str(id)));
    }

    private static Map<ItemKey, WriteResult.Outcome> outcomes(WriteResult.Outcome... each) {
        Map<ItemKey, WriteResult.Outcome> out = new LinkedHashMap<>();
        for (int i = 0; i < each.length; i++) {
            out.put(key("k" + i), each[i]);
        }
        return out;
    }

    @Test
    void everyRowRefusedAlikeIsTheSinks() {
        assertEquals(Optional.of(new SameErrorForEveryRow.Shared("the sink rejected the row: [XX000] x", 3)),
                SameErrorForEveryRow.of(outcomes(REFUSED, REFUSED, REFUSED), Set.of()));
    }

    @Test
    void oneRowAloneCannotTellItsFaultFromTheTables() {
        assertEquals(Optional.empty(), SameErrorForEveryRow.of(outcomes(REFUSED), Set.of()));
    }

    @Test
    void aStoredRowOrADifferentErrorMeansTheRowsAreAtFault() {
        assertEquals(Optional.empty(), SameErrorForEveryRow.of(
                outcomes(REFUSED, REFUSED, new WriteResult.Outcome.Applied(false)), Set.of()));
        assertEquals(Optional.empty(), SameErrorForEveryRow.of(
                outcomes(REFUSED, new WriteResult.Outcome.Failed("the sink rejected the row: [54000] y", false)), Set.of()));
    }

    @Test
    void changesThePlannerRefusedDoNotCount() {
        Map<ItemKey, WriteResult.Outcome> out = outcomes(REFUSED, new WriteResult.Outcome.Failed("bad attribute", false));
        assertEquals(Optional.empty(), SameErrorForEveryRow.of(out, Set.of(key("k1"))));
    }
}
