package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.ImageReader;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.decode.RawImage;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomImages;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planning from an image's bytes ({@link RawDocumentWriter}, where the columns are known) must
 * give exactly the rows and column kinds that planning from the built image gives.
 */
class RawDocumentWriterTest {

    private final ChangeDecoder decoder = new ChangeDecoder();

    @Test
    void planningFromTheBytesGivesTheRowsAndKindsOfPlanningFromTheBuiltImageInBothModes() throws InvalidRecordException {
        int attributes = 0;
        int fromBytes = 0;
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            KinesisRecords seq = new KinesisRecords(1);
            ColumnKinds rawKinds = new ColumnKinds();
            ColumnKinds builtKinds = new ColumnKinds();
            // Kinds a table taken over may already have: integral, the database's own, arrays of them.
            for (ColumnKinds k : List.of(rawKinds, builtKinds)) {
                k.put("qty", ColumnKinds.INTEGRAL);
                k.put("geo", ColumnKinds.OTHER);
                // Columns the sink reports under names the relay never writes to.
                k.put("it's", ColumnKinds.TEXT);
                k.put("b", ColumnKinds.OBJECT);
                k.put("b" + ColumnKinds.SEP + "it's", ColumnKinds.TEXT);
                if (seed % 2 == 0) {
                    k.put("tags", new ColumnKind.ArrayOf(ColumnKinds.INTEGRAL));
                    k.put("lines" + ColumnKinds.SEP + "x", ColumnKinds.INTEGRAL);
                }
            }
            for (int n = 0; n < 1500; n++) {
                ChangeRecord raw = decoder.decode(seq.next(RandomImages.change(rnd)));
                if (raw.eventName() == EventName.REMOVE) {
                    continue;
                }
                RawImage image = assertInstanceOf(RawImage.class, raw.newImage());
                ChangeRecord built = new ChangeRecord(raw.sequenceNumber(), raw.eventId(), raw.eventName(),
                        raw.expiredByTtl(), raw.version(), raw.keys(), image.attributes(), raw.tableName());
                int[] hits = fromBytesNow(image, rawKinds);
                attributes += hits[0];
                fromBytes += hits[1];

                RowPlanner planner = new RowPlanner(KeySchema.inferFrom(raw.keys()), DeclaredTypes.NONE,
                        RowPlanner.Mode.CRATEDB_SAFE);
                PlannedRow.Upsert a = (PlannedRow.Upsert) planner.plan(raw, rawKinds);
                PlannedRow.Upsert b = (PlannedRow.Upsert) planner.plan(built, builtKinds);
                String input = image.toString();
                assertEquals(b.dataJson(), a.dataJson(), input);
                assertEquals(b.auxJson(), a.auxJson(), input);
                assertEquals(b.divertedAttributes(), a.divertedAttributes(), input);
                assertEquals(b.inexactNumbers(), a.inexactNumbers(), input);
                assertEquals(builtKinds.toString(), rawKinds.toString(), input);
                assertEquals(builtKinds.size(), rawKinds.size(), input);

                RowPlanner exact = new RowPlanner(KeySchema.inferFrom(raw.keys()), DeclaredTypes.NONE,
                        RowPlanner.Mode.EXACT_JSON);
                assertEquals(((PlannedRow.Upsert) exact.plan(built, new ColumnKinds())).dataJson(),
                        ((PlannedRow.Upsert) exact.plan(raw, new ColumnKinds())).dataJson(), input);
            }
        }
        // The comparison means something only if both ways were taken often.
        assertTrue(fromBytes > attributes / 3, fromBytes + " of " + attributes + " attributes from the bytes");
        assertTrue(fromBytes < attributes * 9 / 10, fromBytes + " of " + attributes + " attributes from the bytes");
    }

    @Test
    void aValueWhoseColumnsAreKnownIsWrittenFromTheBytes() throws InvalidRecordException {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("customer", DynamoJson.map("name", "Ada", "geo", DynamoJson.map("lat", DynamoJson.n("52.50"))));
        attributes.put("lines", DynamoJson.list(DynamoJson.map("sku", "S-1", "qty", 2), null,
                DynamoJson.map("qty", DynamoJson.n("3.0"))));
        attributes.put("tags", DynamoJson.stringSet("a", "b"));
        attributes.put("scores", DynamoJson.numberSet(1, "2.5"));
        attributes.put("vip", true);
        ColumnKinds kinds = new ColumnKinds();
        kinds.put(path("id"), ColumnKinds.TEXT);   // the key is in the image too
        kinds.put(path("customer"), ColumnKinds.OBJECT);
        kinds.put(path("customer", "name"), ColumnKinds.TEXT);
        kinds.put(path("customer", "geo"), ColumnKinds.OBJECT);
        kinds.put(path("customer", "geo", "lat"), ColumnKinds.FLOATING);
        kinds.put(path("lines"), new ColumnKind.ArrayOf(ColumnKinds.OBJECT));
        kinds.put(path("lines", "sku"), ColumnKinds.TEXT);
        kinds.put(path("lines", "qty"), ColumnKinds.INTEGRAL);
        kinds.put(path("tags"), new ColumnKind.ArrayOf(ColumnKinds.TEXT));
        kinds.put(path("scores"), new ColumnKind.ArrayOf(ColumnKinds.FLOATING));
        kinds.put(path("vip"), ColumnKinds.BOOLEAN);
        String before = kinds.toString();
        RawImage image = image(attributes);

        JsonText g = objectStarted();
        ImageReader r = objectStarted(image);
        RawDocumentWriter writer = new RawDocumentWriter(kinds);
        while (r.hasNext()) {
            String name = r.name();
            assertTrue(writer.tryWrite(g, name, r), name);
        }
        g.writeEndObject();

        assertEquals("{\"id\":\"i-1\",\"customer\":{\"name\":\"Ada\",\"geo\":{\"lat\":52.5}},"
                + "\"lines\":[{\"sku\":\"S-1\",\"qty\":2},null,{\"qty\":3}],"
                + "\"tags\":[\"a\",\"b\"],\"scores\":[1.0,2.5],\"vip\":true}", g.toString());
        assertEquals(before, kinds.toString(), "no kind recorded");
    }

    @Test
    void anAttributeTheWriterCannotTakeLeavesTheTextAndTheReaderAsTheyWere() throws InvalidRecordException {
        ColumnKinds kinds = new ColumnKinds();
        kinds.put(path("id"), ColumnKinds.TEXT);
        kinds.put(path("known"), ColumnKinds.TEXT);
        kinds.put(path("total"), ColumnKinds.FLOATING);
        kinds.put(path("labels"), new ColumnKind.ArrayOf(ColumnKinds.TEXT));
        kinds.put(path("deep"), ColumnKinds.OBJECT);
        kinds.put(path("deep", "a"), ColumnKinds.TEXT);
        kinds.put(path("deep", "it's"), ColumnKinds.TEXT);
        List<Map.Entry<String, Object>> cannot = List.of(
                Map.entry("unseen", "a column not made yet"),
                Map.entry("total", DynamoJson.n("1.00000000000000000001")),   // a double cannot hold it: an exact copy
                Map.entry("known", DynamoJson.n("7")),   // a number at a text column
                Map.entry("labels", DynamoJson.list("a", true)),   // mixed kinds
                Map.entry("deep", DynamoJson.map("it's", "a name CrateDB takes, the relay does not")),
                Map.entry("deep", DynamoJson.map("a", "written first", "b", "then an unknown column")),
                Map.entry("picture", new byte[]{1, 2, 3}));   // binaries are built
        for (Map.Entry<String, Object> e : cannot) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("known", "x");   // written first (replaced where the case is "known")
            attributes.put(e.getKey(), e.getValue());
            RawImage image = image(attributes);
            JsonText g = objectStarted();
            ImageReader r = objectStarted(image);
            RawDocumentWriter writer = new RawDocumentWriter(kinds);
            String written = "{";
            while (r.hasNext()) {
                String name = r.name();
                int at = r.position();
                if (name.equals(e.getKey())) {
                    assertFalse(writer.tryWrite(g, name, r), name);
                    assertEquals(written, g.toString(), name);
                    assertEquals(at, r.position(), name);
                    assertEquals(image.attributes().get(name), r.value(), name);
                } else {
                    assertTrue(writer.tryWrite(g, name, r), name);
                    written = g.toString();
                }
            }
        }
    }

    // ------------------------------------------------------------------ fixtures

    /** How many attributes the image has, and how many the writer takes from its bytes with these kinds. */
    private static int[] fromBytesNow(RawImage image, ColumnKinds kinds) {
        int all = 0;
        int taken = 0;
        RawDocumentWriter writer = new RawDocumentWriter(kinds);
        JsonText scratch = objectStarted();
        ImageReader r = objectStarted(image);
        while (r.hasNext()) {
            all++;
            String name = r.name();
            if (writer.tryWrite(scratch, name, r)) {
                taken++;
            } else {
                r.value();
            }
        }
        return new int[]{all, taken};
    }

    private static JsonText objectStarted() {
        JsonText g = new JsonText(64);
        g.writeStartObject();
        return g;
    }

    private static ImageReader objectStarted(RawImage image) {
        ImageReader r = image.reader();
        r.startObject();
        return r;
    }

    private RawImage image(Map<String, Object> attributes) throws InvalidRecordException {
        ChangeJson c = ChangeJson.insert().key("id", "i-1");
        attributes.forEach(c::set);
        return assertInstanceOf(RawImage.class, decoder.decode(new KinesisRecords(1).next(c)).newImage());
    }

    private static String path(String... names) {
        return String.join(String.valueOf(ColumnKinds.SEP), names);
    }

}
