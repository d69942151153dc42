package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ChangeVersion;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeReducerTest {

    private static ChangeRecord change(String key, long micros, String seq, EventName e) {
        Map<String, DynamoValue> keys = Map.of("id", new DynamoValue.Str(key));
        return new ChangeRecord(seq, "e" + seq, e, false, new ChangeVersion(micros, seq), keys,
                e == EventName.REMOVE ? null : keys, "t");
    }

    @Test
    void theNewestVersionWinsWhateverTheOrder() {
        ChangeRecord a1 = change("a", 10, "1", EventName.INSERT);
        ChangeRecord a2 = change("a", 20, "2", EventName.MODIFY);
        ChangeRecord a3 = change("a", 20, "3", EventName.REMOVE); // same µs: the sequence number decides
        ChangeRecord b1 = change("b", 5, "4", EventName.INSERT);
        var newest = ChangeReducer.newestPerItem(List.of(a3, b1, a1, a2, a3));
        assertEquals(2, newest.size());
        assertEquals(a3, newest.values().iterator().next());
        assertEquals(b1, newest.values().stream().skip(1).findFirst().orElseThrow());
    }

    @Test
    void versionsCompareNumericallyAndSortKeysAgree() {
        ChangeVersion small = new ChangeVersion(1, "99");
        ChangeVersion big = new ChangeVersion(1, "100");
        assertTrue(big.isNewerThan(small));
        assertTrue(big.sortKey().compareTo(small.sortKey()) > 0);
        assertTrue(new ChangeVersion(2, "1").sortKey().compareTo(new ChangeVersion(1, "9".repeat(100)).sortKey()) > 0);
    }
}
