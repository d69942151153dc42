package dev.cdcrelay.decode;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An all-ASCII record's NewImage stays its bytes; built, or read value by value, it is the image jackson's reader builds. */
class RawImageTest {

    private final ChangeDecoder decoder = new ChangeDecoder();

    @Test
    void anAsciiRecordsImageIsKeptAsBytesAndBuildsToTheImageJacksonsReaderBuilds() throws InvalidRecordException {
        IncomingRecord r = new KinesisRecords(1).next(ChangeJson.insert().key("id", "i-1")
                .set("customer", DynamoJson.map("name", "Ada", "tags", DynamoJson.stringSet("a", "b")))
                .set("lines", DynamoJson.list(DynamoJson.map("qty", 2), null, true))
                .set("price", DynamoJson.n("12.50"))
                .set("scores", DynamoJson.numberSet(1, "2.5"))
                .set("picture", new byte[]{1, 2, 3}));
        RawImage raw = assertInstanceOf(RawImage.class, decoder.decode(r).newImage());
        Object built = ChangeDecoder.readWithJackson(r.data(), r.sequenceNumber()).newImage();

        assertEquals(built, raw);
        assertEquals(raw, built);
        assertEquals(built.hashCode(), raw.hashCode());
        assertTrue(raw.attributes().textsArePlain());

        ImageReader reader = raw.reader();
        reader.startObject();
        int attributes = 0;
        while (reader.hasNext()) {
            String name = reader.name();
            assertEquals(raw.attributes().get(name), reader.value(), name);
            attributes++;
        }
        assertEquals(6, attributes);
    }

    @Test
    void anImageWithACharBeyondAsciiIsBuiltAsItIsRead() throws InvalidRecordException {
        IncomingRecord r = new KinesisRecords(1).next(ChangeJson.insert().key("id", "i-1").set("city", "Zürich"));
        ChangeRecord change = decoder.decode(r);
        AttributeMap image = assertInstanceOf(AttributeMap.class, change.newImage());
        assertEquals(new DynamoValue.Str("Zürich"), image.get("city"));
    }
}
