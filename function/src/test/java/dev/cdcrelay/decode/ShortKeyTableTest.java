package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ShortKeyTableTest {

    /** Texts of 0 to 16 bytes as JSON strings hold them: no byte below 0x20, multi-byte UTF-8 too. */
    private static byte[] randomText(Random rnd) {
        String[] alphabet = {"a", "b", " ", "~", "\u007f", "\u00e9", "\u6771", "0"};
        StringBuilder sb = new StringBuilder();
        int length = rnd.nextInt(ShortKeyTable.MAX_KEY_BYTES + 1);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < length) {
            sb.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        return text.length <= ShortKeyTable.MAX_KEY_BYTES ? text : new byte[0];
    }

    @Test
    void differentTextsHaveDifferentKeysWhateverFollowsThem() {
        Random rnd = new Random(5);
        Map<List<Long>, String> seen = new HashMap<>();
        for (int n = 0; n < 300_000; n++) {
            byte[] text = randomText(rnd);
            // The text sits inside a record: the bytes after it must not count.
            byte[] record = new byte[text.length + ShortKeyTable.MAX_KEY_BYTES];
            rnd.nextBytes(record);
            System.arraycopy(text, 0, record, 0, text.length);
            List<Long> key = List.of(ShortKeyTable.firstWord(record, 0, text.length),
                    ShortKeyTable.secondWord(record, 0, text.length));
            String asText = new String(text, StandardCharsets.UTF_8);
            String before = seen.putIfAbsent(key, asText);
            if (before != null) {
                assertEquals(before, asText, "two texts with one key");
            }
        }
    }

    @Test
    void aSlotGivesItsValueOnlyForItsOwnKey() {
        ShortKeyTable<String> table = new ShortKeyTable<>(4);
        Random rnd = new Random(9);
        for (int n = 0; n < 100_000; n++) {
            byte[] a = randomText(rnd);
            byte[] b = randomText(rnd);
            byte[] record = new byte[64];
            System.arraycopy(a, 0, record, 0, a.length);
            System.arraycopy(b, 0, record, 32, b.length);
            long a1 = ShortKeyTable.firstWord(record, 0, a.length);
            long a2 = ShortKeyTable.secondWord(record, 0, a.length);
            long b1 = ShortKeyTable.firstWord(record, 32, b.length);
            long b2 = ShortKeyTable.secondWord(record, 32, b.length);
            String textA = new String(a, StandardCharsets.UTF_8);
            table.put(table.slot(a1, a2), a1, a2, textA);
            assertEquals(textA, table.get(table.slot(a1, a2), a1, a2));
            String found = table.get(table.slot(b1, b2), b1, b2);
            if (found != null) {
                assertEquals(new String(b, StandardCharsets.UTF_8), found);
            }
        }
        assertNull(new ShortKeyTable<String>(4).get(0, 0, 0), "an empty table holds nothing, not even the empty text");
    }
}
