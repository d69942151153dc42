package dev.cdcrelay.plan;

import dev.cdcrelay.decode.DynamoValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The tree of sub-column kinds: text paths, recording as CrateDB would, and undo. */
class ColumnKindsTest {

    private static final String A_B = "a" + ColumnKinds.SEP + "b";

    @Test
    void textPathsReachTheSameColumnsAsTheTree() {
        ColumnKinds kinds = new ColumnKinds();
        kinds.put(A_B, ColumnKinds.INTEGRAL);
        assertEquals(ColumnKinds.INTEGRAL, kinds.get(A_B));
        assertNull(kinds.get("a"), "a parent made on the way has no kind");
        assertNull(kinds.get("b"));
        assertEquals(1, kinds.size());
        ColumnKinds.Column a = kinds.top().find("a");
        assertEquals(ColumnKinds.INTEGRAL, a.find("b").kind());
    }

    @Test
    void theFirstValueDecidesAndListsTakeTheirFirstTypableElement() {
        ColumnKinds kinds = new ColumnKinds();
        DynamoValue list = new DynamoValue.ListValue(List.of(DynamoValue.Null.INSTANCE,
                new DynamoValue.MapValue(Map.of("n", new DynamoValue.Num(BigDecimal.ONE))),
                new DynamoValue.MapValue(Map.of("n", new DynamoValue.Str("x")))));
        kinds.record(kinds.child(kinds.top(), "l"), list);
        assertEquals(new ColumnKind.ArrayOf(ColumnKinds.OBJECT), kinds.get("l"));
        assertEquals(ColumnKinds.FLOATING, kinds.get("l" + ColumnKinds.SEP + "n"));
        kinds.record(kinds.child(kinds.top(), "l"), new DynamoValue.Str("later"));
        assertEquals(new ColumnKind.ArrayOf(ColumnKinds.OBJECT), kinds.get("l"), "a column keeps its first kind");
        assertEquals(2, kinds.size());
    }

    @Test
    void rollbackUndoesKindsAndColumnsSinceItsMarkAndKeepKeepsThem() {
        ColumnKinds kinds = new ColumnKinds();
        kinds.put("a", ColumnKinds.OBJECT);
        int outer = kinds.mark();
        kinds.setKind(kinds.child(kinds.child(kinds.top(), "a"), "b"), ColumnKinds.TEXT);
        int inner = kinds.mark();
        kinds.setKind(kinds.child(kinds.top(), "c"), ColumnKinds.BOOLEAN);
        kinds.rollback(inner);
        assertNull(kinds.get("c"));
        assertNull(kinds.top().find("c"), "a column made after the mark is removed");
        assertEquals(ColumnKinds.TEXT, kinds.get(A_B));
        assertEquals(2, kinds.size());
        kinds.rollback(outer);
        assertNull(kinds.get(A_B));
        assertEquals(ColumnKinds.OBJECT, kinds.get("a"));
        assertEquals(1, kinds.size());

        int kept = kinds.mark();
        kinds.setKind(kinds.child(kinds.top(), "d"), ColumnKinds.TEXT);
        kinds.keep(kept);
        assertEquals(ColumnKinds.TEXT, kinds.get("d"));
        assertEquals(2, kinds.size());
    }
}
