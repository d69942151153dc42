package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ChangeVersion;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomRecords;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Near CrateDB's column limit the planner must give the verdicts of the first planner, which
 * checked each attribute with {@link CrateDbColumnRules#fits} and only then wrote it: the check
 * counts the columns that exist before the attribute, not those the attribute itself adds.
 */
class ColumnLimitTest {

    private static final KeySchema KEYS = KeySchema.parse("id:S", "test");
    private final RowPlanner planner = new RowPlanner(KEYS, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);

    /** Kinds that already hold {@code columns} top-level columns. */
    private static ColumnKinds filledTo(int columns) {
        ColumnKinds kinds = new ColumnKinds();
        for (int i = 0; i < columns; i++) {
            kinds.put("filler" + i, ColumnKinds.TEXT);
        }
        return kinds;
    }

    /** The first planner's data and aux: check, then write, attribute by attribute. */
    private static String checkThenWrite(ChangeRecord change, ColumnKinds kinds) {
        JsonText data = new JsonText(256);
        AuxDocument aux = new AuxDocument();
        DocumentWriter writer = new DocumentWriter(kinds, aux);
        data.writeStartObject();
        for (Map.Entry<String, DynamoValue> e : change.newImage().entrySet()) {
            int mark = kinds.mark();
            if (CrateDbColumnRules.fits(kinds, e.getKey(), e.getValue())) {
                kinds.keep(mark);
                writer.writeSafe(data, e.getKey(), e.getValue());
            } else {
                kinds.rollback(mark);
                DocumentWriter.writeExact(aux.divert(e.getKey()), e.getValue(), DocumentWriter.Numbers.CRATEDB_SAFE);
            }
        }
        data.writeEndObject();
        return data + "\n" + aux.json() + "\n" + aux.divertedCount() + " " + aux.exactCount() + " " + kinds.size();
    }

    private String planned(ChangeRecord change, ColumnKinds kinds) {
        PlannedRow.Upsert row = (PlannedRow.Upsert) planner.plan(change, kinds);
        return row.dataJson() + "\n" + row.auxJson() + "\n" + row.divertedAttributes() + " " + row.inexactNumbers() + " "
                + kinds.size();
    }

    private static List<ChangeRecord> upserts(long seed, int count) throws InvalidRecordException {
        Random rnd = new Random(seed);
        KinesisRecords seq = new KinesisRecords(1);
        ChangeDecoder decoder = new ChangeDecoder();
        List<ChangeRecord> out = new ArrayList<>();
        while (out.size() < count) {
            try {
                ChangeRecord c = decoder.decode(RandomRecords.record(rnd, seq, false));
                if (c.eventName() != EventName.REMOVE) {
                    out.add(c);
                }
            } catch (InvalidRecordException e) {
                // malformed on purpose: nothing to plan
            }
        }
        return out;
    }

    @Test
    void generatedBatchesNearTheLimitArePlannedAsCheckThenWritePlannedThem() throws Exception {
        int limitDecided = 0;
        for (int fill = CrateDbColumnRules.MAX_DATA_COLUMNS - 60; fill <= CrateDbColumnRules.MAX_DATA_COLUMNS; fill += 2) {
            List<ChangeRecord> batch = upserts(fill, 25);
            ColumnKinds reference = filledTo(fill);
            ColumnKinds kinds = filledTo(fill);
            ColumnKinds unlimited = new ColumnKinds();
            for (int i = 0; i < batch.size(); i++) {
                ChangeRecord c = batch.get(i);
                String expected = checkThenWrite(c, reference);
                assertEquals(expected, planned(c, kinds), "fill " + fill + ", record " + i);
                String withoutLimit = checkThenWrite(c, unlimited);
                if (!withoutLimit.substring(0, withoutLimit.lastIndexOf(' '))
                        .equals(expected.substring(0, expected.lastIndexOf(' ')))) {
                    limitDecided++;
                }
            }
        }
        assertTrue(limitDecided > 50, "the column limit decided only " + limitDecided + " rows");
    }

    @Test
    void anAttributeMayCrossTheLimitWithTheColumnsItAddsItself() {
        ColumnKinds kinds = filledTo(CrateDbColumnRules.MAX_DATA_COLUMNS - 1);
        Map<String, DynamoValue> fields = new LinkedHashMap<>();
        fields.put("a", new DynamoValue.Num(BigDecimal.ONE));
        fields.put("b", new DynamoValue.Str("x"));
        fields.put("c", new DynamoValue.Bool(true));
        Map<String, DynamoValue> image = new LinkedHashMap<>();
        image.put("id", new DynamoValue.Str("k"));
        image.put("m", new DynamoValue.MapValue(fields));
        image.put("late", new DynamoValue.Num(BigDecimal.TEN));
        ChangeRecord change = new ChangeRecord("1", "e", EventName.INSERT, false, new ChangeVersion(5, "1"),
                Map.of("id", new DynamoValue.Str("k")), image, "t");

        PlannedRow.Upsert row = (PlannedRow.Upsert) planner.plan(change, kinds);

        // "id" is the 900th column, so "m" meets the limit: the check counts only what exists.
        assertEquals("{\"id\":\"k\"}", row.dataJson());
        assertEquals("{\"attributes\":{\"m\":{\"a\":1,\"b\":\"x\",\"c\":true},\"late\":10}}", row.auxJson());
        ColumnKinds below = filledTo(CrateDbColumnRules.MAX_DATA_COLUMNS - 2);
        PlannedRow.Upsert crossing = (PlannedRow.Upsert) planner.plan(change, below);
        assertEquals("{\"id\":\"k\",\"m\":{\"a\":1.0,\"b\":\"x\",\"c\":true}}", crossing.dataJson());
        assertEquals("{\"attributes\":{\"late\":10}}", crossing.auxJson());
        assertEquals(CrateDbColumnRules.MAX_DATA_COLUMNS + 3, below.size());
    }
}
