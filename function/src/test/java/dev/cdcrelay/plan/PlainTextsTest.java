package dev.cdcrelay.plan;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomRecords;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A decoded image that says its texts are plain is written without a look at its chars: the
 * rows must be exactly those written with every text checked, in both document modes.
 */
class PlainTextsTest {

    @Test
    void anImageWhoseTextsArePlainPlansToTheRowThatCheckingEveryTextGives() {
        Random rnd = new Random(31);
        KinesisRecords seq = new KinesisRecords(1);
        ChangeDecoder decoder = new ChangeDecoder();
        ColumnKinds trustedKinds = new ColumnKinds();
        ColumnKinds checkedKinds = new ColumnKinds();
        int compared = 0;
        for (int n = 0; n < 3000; n++) {
            IncomingRecord r = RandomRecords.record(rnd, seq, false);
            ChangeRecord trusted;
            try {
                trusted = decoder.decode(r);
            } catch (InvalidRecordException e) {
                continue;
            }
            if (trusted.eventName() == EventName.REMOVE || !AttributeMap.of(trusted.newImage()).textsArePlain()) {
                continue;
            }
            ChangeRecord checked = new ChangeRecord(trusted.sequenceNumber(), trusted.eventId(), trusted.eventName(),
                    trusted.expiredByTtl(), trusted.version(), trusted.keys(),
                    new LinkedHashMap<>(trusted.newImage()), trusted.tableName());
            assertTrue(!AttributeMap.of(checked.newImage()).textsArePlain());
            KeySchema keys = KeySchema.inferFrom(trusted.keys());
            String input = new String(r.data(), StandardCharsets.UTF_8);
            for (RowPlanner.Mode mode : RowPlanner.Mode.values()) {
                RowPlanner planner = new RowPlanner(keys, DeclaredTypes.NONE, mode);
                PlannedRow.Upsert a = (PlannedRow.Upsert) planner.plan(trusted, trustedKinds);
                PlannedRow.Upsert b = (PlannedRow.Upsert) planner.plan(checked, checkedKinds);
                assertEquals(b.dataJson(), a.dataJson(), input);
                assertEquals(b.auxJson(), a.auxJson(), input);
            }
            compared++;
        }
        assertTrue(compared > 150, "only " + compared + " records had plain texts");
    }
}
