package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class NameCacheTest {

    @Test
    void everyNameIsItsBytesDecodedWhateverWasCachedBefore() {
        NameCache cache = NameCache.forThisThread();
        Random rnd = new Random(3);
        String[] alphabet = {"a", "b", "é", "東", "\uD83D\uDE00", "x", "_"};
        for (int n = 0; n < 200_000; n++) {
            StringBuilder name = new StringBuilder();
            int length = rnd.nextInt(rnd.nextBoolean() ? 4 : 20);
            for (int k = 0; k < length; k++) {
                name.append(alphabet[rnd.nextInt(rnd.nextInt(3) == 0 ? alphabet.length : 2)]);
            }
            byte[] nameBytes = name.toString().getBytes(StandardCharsets.UTF_8);
            // The name sits inside a record: bytes before and after it must not count.
            int before = rnd.nextInt(5);
            byte[] record = new byte[before + nameBytes.length + 1 + rnd.nextInt(12)];
            rnd.nextBytes(record);
            System.arraycopy(nameBytes, 0, record, before, nameBytes.length);
            assertEquals(name.toString(), cache.name(record, before, before + nameBytes.length));
        }
    }

    @Test
    void aNameSeenAgainIsTheSameInstance() {
        NameCache cache = NameCache.forThisThread();
        byte[] record = "{\"temperature\":1,\"device\":2}".getBytes(StandardCharsets.UTF_8);
        assertSame(cache.name(record, 2, 13), cache.name(record.clone(), 2, 13));
        assertSame(cache.name(record, 18, 24), cache.name(record.clone(), 18, 24));
        assertEquals("device", cache.name(record, 18, 24));
    }

    @Test
    void aKeptNameIsGivenAsThatInstanceShortOrLong() {
        NameCache cache = NameCache.forThisThread();
        for (String kept : new String[]{"eventName", "ApproximateCreationDateTimePrecision"}) {
            String constant = new String(kept.toCharArray());   // not the literal: identity must come from keep
            cache.keep(constant);
            byte[] record = ("{\"" + kept + "\":1,\"padding-after-it\":2}").getBytes(StandardCharsets.UTF_8);
            assertSame(constant, cache.name(record, 2, 2 + kept.length()));
        }
    }
}
