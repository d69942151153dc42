package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    /**
     * The canonical text is stored (tombstones, PostgreSQL keys): keys that need no escape take a
     * shorter way to it, which must spell it exactly as the escaping way, built here with jackson.
     */
    @Test
    void theCanonicalTextIsJacksonsSpellingWithAndWithoutEscapes() throws Exception {
        String[] texts = {"a", "d-1", "2024-07-12T01:17:42", "", "q\"uote", "back\\slash", "tab\t", "\u00e9t\u00e9",
            "\u6771", "\uD83D\uDE00", "\u0001"};
        JsonFactory json = new JsonFactory();
        Random rnd = new Random(2);
        for (int n = 0; n < 5_000; n++) {
            int count = 1 + rnd.nextInt(3);
            Map<String, DynamoValue> keys = new LinkedHashMap<>();
            while (keys.size() < count) {
                String name = texts[rnd.nextInt(texts.length)] + "k";
                String text = texts[rnd.nextInt(texts.length)];
                keys.put(name, switch (rnd.nextInt(3)) {
                    case 0 -> new DynamoValue.Str(text);
                    case 1 -> new DynamoValue.Bin(text);
                    default -> new DynamoValue.Num(new BigDecimal(rnd.nextInt(2000) - 1000).movePointLeft(rnd.nextInt(4)));
                });
            }
            StringWriter expected = new StringWriter();
            try (JsonGenerator g = json.createGenerator(expected)) {
                g.writeStartObject();
                for (Map.Entry<String, DynamoValue> e : new TreeMap<>(keys).entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    DynamoValue v = e.getValue();
                    g.writeStringField(v.typeName(), v instanceof DynamoValue.Str s ? s.value()
                            : v instanceof DynamoValue.Bin b ? b.base64()
                            : ItemKey.canonicalNumber(((DynamoValue.Num) v).value()));
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            assertEquals(expected.toString(), ItemKey.of(keys).canonical());
        }
    }
}
