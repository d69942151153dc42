package dev.cdcrelay.backfill.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cdcrelay.backfill.BackfillRefusedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One segment of a Scan run by the backfill function, between invocations: which scan it belongs to
 * (its id, table, segment count and snapshot time, which a resumed segment must share) and its
 * {@link SegmentPosition}. Each segment has its own object, so parallel segments never write the
 * same one.
 */
public record SegmentCheckpoint(String scanId, String table, int segment, int totalSegments, Instant snapshotTime) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The saved position, or the start; refused when the store holds another scan's checkpoint. */
    public SegmentPosition load(CheckpointStore store) {
        Optional<byte[]> saved;
        try {
            saved = store.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scan checkpoint " + store.describe(), e);
        }
        if (saved.isEmpty()) {
            return SegmentPosition.START;
        }
        try (JsonParser p = JSON.createParser(saved.get())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, String> owner = new HashMap<>();
            SegmentPosition position = SegmentPosition.START;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("position")) {
                    position = SegmentPosition.read(p);
                } else {
                    owner.put(name, p.getValueAsString());
                    p.skipChildren();
                }
            }
            SegmentCheckpoint savedFor = new SegmentCheckpoint(owner.get("scanId"), owner.get("table"),
                    Integer.parseInt(owner.get("segment")), Integer.parseInt(owner.get("totalSegments")),
                    Instant.parse(owner.get("snapshotTime")));
            if (!savedFor.equals(this)) {
                throw new BackfillRefusedException("scan checkpoint " + store.describe() + " is of " + savedFor
                        + ", this segment is " + this + "; start a new scan instead of resuming this one");
            }
            return position;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BackfillRefusedException refused) {
                throw refused;
            }
            throw new BackfillRefusedException("scan checkpoint " + store.describe() + " cannot be read: " + e);
        }
    }

    public void save(CheckpointStore store, SegmentPosition position) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("scanId", scanId);
            g.writeStringField("table", table);
            g.writeNumberField("segment", segment);
            g.writeNumberField("totalSegments", totalSegments);
            g.writeStringField("snapshotTime", snapshotTime.toString());
            g.writeFieldName("position");
            position.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.write(out.toByteArray());
    }
}
