package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder's attribute map behaves as an unmodifiable, ordered map, small or large. */
class AttributeMapTest {

    private static AttributeMap of(int size) {
        AttributeMap.Builder b = new AttributeMap.Builder();
        for (int i = 0; i < size; i++) {
            b.add("a" + i, new DynamoValue.Str("v" + i));
        }
        return b.build();
    }

    @Test
    void keepsOrderAndFindsEveryNameBelowAndAboveTheScanLimit() {
        for (int size : new int[]{0, 1, 8, 9, 40}) {
            AttributeMap m = of(size);
            Map<String, DynamoValue> expected = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                expected.put("a" + i, new DynamoValue.Str("v" + i));
            }
            assertEquals(expected, m, "size " + size);
            assertEquals(m, expected, "size " + size);
            assertEquals(expected.hashCode(), m.hashCode());
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(m.keySet()));
            for (int i = 0; i < size; i++) {
                assertEquals(new DynamoValue.Str("v" + i), m.get("a" + i));
                assertTrue(m.containsKey("a" + i));
            }
            assertNull(m.get("missing"));
            assertFalse(m.containsKey("missing"));
            assertEquals(size, m.size());
        }
    }

    @Test
    void aSecondNameIsADuplicateKeyEvenBeyondTheScanLimit() {
        for (int size : new int[]{1, 8, 20}) {
            AttributeMap.Builder b = new AttributeMap.Builder();
            for (int i = 0; i < size; i++) {
                b.add("a" + i, DynamoValue.Null.INSTANCE);
            }
            DecodeFailure f = assertThrows(DecodeFailure.class, () -> b.add("a0", DynamoValue.Null.INSTANCE));
            assertEquals(NameSet.DUPLICATE, f.reason());
        }
    }

    @Test
    void namesWithTheSameHashAreNotDuplicatesButEqualNamesAre() {
        AttributeMap.Builder b = new AttributeMap.Builder();
        b.add("Aa", DynamoValue.Null.INSTANCE);
        b.add("BB", DynamoValue.Null.INSTANCE);   // "Aa".hashCode() == "BB".hashCode()
        DecodeFailure f = assertThrows(DecodeFailure.class,
                () -> b.add(new String("BB".toCharArray()), DynamoValue.Null.INSTANCE));
        assertEquals(NameSet.DUPLICATE, f.reason());
        assertEquals(List.of("Aa", "BB"), List.copyOf(b.build().keySet()));
    }

    @Test
    void aClearedBuilderBuildsMapsOfTheirOwn() {
        AttributeMap.Builder b = new AttributeMap.Builder();
        b.add("a", new DynamoValue.Str("1"));
        b.add("b", new DynamoValue.Str("2"));
        AttributeMap first = b.buildCopy();
        b.clear();
        b.add("b", new DynamoValue.Str("3"));   // not a duplicate of the map before
        AttributeMap second = b.buildCopy();
        b.clear();
        assertEquals(Map.of("a", new DynamoValue.Str("1"), "b", new DynamoValue.Str("2")), first);
        assertEquals(Map.of("b", new DynamoValue.Str("3")), second);
        assertEquals(Map.of(), b.buildCopy());
    }

    @Test
    void cannotBeChanged() {
        AttributeMap m = of(3);
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", DynamoValue.Null.INSTANCE));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("a0"));
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue(null));
        List<String> names = new ArrayList<>();
        m.forEach((k, v) -> names.add(k));
        assertEquals(List.of("a0", "a1", "a2"), names);
    }
}
