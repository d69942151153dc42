package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemKeyTest {

    private static Map<String, DynamoValue> inOrder(Object... nameValue) {
        Map<String, DynamoValue> keys = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            keys.put((String) nameValue[i], (DynamoValue) nameValue[i + 1]);
        }
        return keys;
    }

    @Test
    void twoKeyAttributesAreInNameOrderWhateverTheRecordsOrder() {
        DynamoValue device = new DynamoValue.Str("d-1");
        DynamoValue time = new DynamoValue.Num(new BigDecimal("1.50"));
        ItemKey a = ItemKey.of(inOrder("timestamp", time, "device", device));
        ItemKey b = ItemKey.of(inOrder("device", device, "timestamp", time));

        assertEquals("{\"device\":{\"S\":\"d-1\"},\"timestamp\":{\"N\":\"1.5\"}}", a.canonical());
        assertEquals(a, b);
        assertEquals(List.of("device", "timestamp"), List.copyOf(a.attributes().keySet()));
        assertEquals(new TreeMap<>(inOrder("timestamp", time, "device", device)), a.attributes());
        assertEquals(a.attributes(), b.attributes());
    }

    @Test
    void moreAttributesAreInNameOrderToo() {
        DynamoValue one = new DynamoValue.Str("1");
        ItemKey key = ItemKey.of(inOrder("c", one, "a", one, "b", one));
        assertEquals(List.of("a", "b", "c"), List.copyOf(key.attributes().keySet()));
    }
}
