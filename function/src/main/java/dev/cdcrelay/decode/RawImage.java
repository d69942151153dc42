package dev.cdcrelay.decode;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The NewImage of an all-ASCII record kept as the bytes DynamoDB sent, already checked by every
 * rule an image is checked by: the planner can write an attribute straight from them (a text's
 * bytes are its chars, and none needs escaping: {@link AttributeMap#textsArePlain()}), and the
 * attributes are built only when something asks for them as a map, then once.
 *
 * <p>Why: building the image's tree and reading it again to plan the row was about a fifth of
 * decoding and planning a nested 2 KB item (docs/performance.md, "Without the tree"), and a
 * change that a later change of the same item replaces in its batch is never planned at all.
 * Only {@link CompactRecordReader} makes one, for the compact records DynamoDB sends (an image
 * with a char beyond ASCII is built as before).
 */
public final class RawImage extends AbstractMap<String, DynamoValue> {

    /** The image's JSON object, {@code {"name":{"S":"..."},...}}, compact and checked. */
    private final byte[] json;
    private volatile AttributeMap attributes;

    RawImage(byte[] json) {
        this.json = json;
    }

    /** The attributes, built from the bytes on the first call (as the record's reader builds them). */
    public AttributeMap attributes() {
        AttributeMap built = attributes;
        if (built == null) {
            built = CompactRecordReader.image(json);
            attributes = built;
        }
        return built;
    }

    /** A reader of the image's bytes, at its start. */
    public ImageReader reader() {
        return new ImageReader(json);
    }

    @Override
    public Set<Map.Entry<String, DynamoValue>> entrySet() {
        return attributes().entrySet();
    }

    @Override
    public int size() {
        return attributes().size();
    }

    @Override
    public DynamoValue get(Object key) {
        return attributes().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return attributes().containsKey(key);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || attributes().equals(o);
    }

    @Override
    public int hashCode() {
        return attributes().hashCode();
    }
}
