package dev.cdcrelay.backfill.scan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.Map;

/**
 * Where one Scan segment got to: pages loaded, the key to continue after (empty before the first
 * page), whether it reached its end, and the items it read and loaded so far.
 */
public record SegmentPosition(int pages, Map<String, AttributeValue> lastKey, boolean done, long itemsRead,
                              long itemsLoaded) {

    public static final SegmentPosition START = new SegmentPosition(0, Map.of(), false, 0, 0);

    public SegmentPosition {
        lastKey = Map.copyOf(lastKey);
    }

    /** After one more loaded page; an empty last key means the segment is done. */
    public SegmentPosition next(Map<String, AttributeValue> pageLastKey, long read, long loaded) {
        return new SegmentPosition(pages + 1, pageLastKey, pageLastKey.isEmpty(), itemsRead + read, itemsLoaded + loaded);
    }

    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pages", pages);
        g.writeBooleanField("done", done);
        g.writeNumberField("itemsRead", itemsRead);
        g.writeNumberField("itemsLoaded", itemsLoaded);
        g.writeFieldName("lastKey");
        AttributeValues.writeMap(g, lastKey);
        g.writeEndObject();
    }

    /** Reads what {@link #write} wrote, the parser on its START_OBJECT. */
    static SegmentPosition read(JsonParser p) throws IOException {
        int pages = 0;
        boolean done = false;
        long read = 0;
        long loaded = 0;
        Map<String, AttributeValue> key = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "pages" -> pages = p.getIntValue();
                case "done" -> done = p.getBooleanValue();
                case "itemsRead" -> read = p.getLongValue();
                case "itemsLoaded" -> loaded = p.getLongValue();
                case "lastKey" -> key = AttributeValues.readKey(p);
                default -> p.skipChildren();
            }
        }
        return new SegmentPosition(pages, key, done, read, loaded);
    }
}
