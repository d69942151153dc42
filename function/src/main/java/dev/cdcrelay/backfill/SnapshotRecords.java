package dev.cdcrelay.backfill;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.JsonFailures;
import dev.cdcrelay.kinesis.IncomingRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one snapshot item ({@code {"Item": {...}}} in DynamoDB JSON, a line of an export data file
 * or a Scan result) into the change record the stream would carry for an INSERT of that item, as
 * of {@link SnapshotPoint#versionMicros()}. The record then goes through the relay like any stream
 * record: the same decoder checks every attribute against DynamoDB's rules, the same planner and
 * writer store it, and the sink's newest-version rule merges it with the stream.
 *
 * <p>Only the envelope is read here (one {@code Item} object holding the key attributes); the
 * attribute values are copied through unchanged and judged by {@link ChangeDecoder}. Thread-safe.
 */
public final class SnapshotRecords {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(ChangeDecoder.MAX_RECORD_BYTES)
                    .maxStringLength(ChangeDecoder.MAX_STRING_CHARS)
                    .maxNameLength(ChangeDecoder.MAX_NAME_BYTES)
                    .maxNestingDepth(ChangeDecoder.MAX_JSON_DEPTH)
                    .maxNumberLength(100)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final List<String> keyNames;
    private final SnapshotPoint point;

    /**
     * @param keyNames the table's key attributes (hash key first): an item does not say which of its
     *                 attributes are the key, so the table's key schema must
     */
    public SnapshotRecords(List<String> keyNames, SnapshotPoint point) {
        this.keyNames = List.copyOf(keyNames);
        this.point = point;
        if (this.keyNames.isEmpty()) {
            throw new IllegalArgumentException("the table's key attribute names are needed");
        }
    }

    public SnapshotPoint point() {
        return point;
    }

    /**
     * @param line           one item, UTF-8 JSON {@code {"Item": {...}}}
     * @param sequenceNumber from {@link SnapshotPoint#sequenceNumber(long, long)}
     * @throws InvalidSnapshotItemException when the line is not one item with its key attributes
     */
    public IncomingRecord toRecord(byte[] line, String sequenceNumber) throws InvalidSnapshotItemException {
        if (line.length > ChangeDecoder.MAX_RECORD_BYTES) {
            throw new InvalidSnapshotItemException(line.length + " bytes, more than the limit of "
                    + ChangeDecoder.MAX_RECORD_BYTES);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length + 256);
        try (JsonParser p = JSON.createParser(line); JsonGenerator g = JSON.createGenerator(out)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidSnapshotItemException("not a JSON object; expected {\"Item\": {...}}");
            }
            if (p.nextToken() != JsonToken.FIELD_NAME || !"Item".equals(p.currentName())
                    || p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidSnapshotItemException("expected {\"Item\": {...}} (DynamoDB JSON export format)");
            }
            g.writeStartObject();
            g.writeStringField("eventName", "INSERT");
            g.writeStringField("eventSource", "aws:dynamodb");
            g.writeStringField("eventID", "backfill-" + sequenceNumber);
            g.writeObjectFieldStart("dynamodb");
            g.writeNumberField("ApproximateCreationDateTime", point.versionMicros());
            g.writeStringField("ApproximateCreationDateTimePrecision", "MICROSECOND");
            g.writeFieldName("NewImage");
            Map<String, String> keys = copyItem(p, g);
            writeKeys(g, keys);
            g.writeEndObject();
            g.writeEndObject();
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw new InvalidSnapshotItemException("only \"Item\" is expected in {\"Item\": {...}}");
            }
            if (p.nextToken() != null) {
                throw new InvalidSnapshotItemException("unexpected content after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            // No cause and no jackson text: it quotes the input.
            throw new InvalidSnapshotItemException(JsonFailures.reason(e));
        }
        return new IncomingRecord(sequenceNumber, "", out.toByteArray(), 0);
    }

    /** Copies the item object, setting the key attributes' values aside as raw JSON. */
    private Map<String, String> copyItem(JsonParser p, JsonGenerator g) throws IOException, InvalidSnapshotItemException {
        Map<String, String> keys = new LinkedHashMap<>();
        g.writeStartObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            g.writeFieldName(name);
            if (keyNames.contains(name)) {
                if (keys.containsKey(name)) {
                    throw new InvalidSnapshotItemException("key attribute '" + name + "' appears twice");
                }
                ByteArrayOutputStream raw = new ByteArrayOutputStream(64);
                try (JsonGenerator kg = JSON.createGenerator(raw)) {
                    kg.copyCurrentStructure(p);
                }
                String json = raw.toString(StandardCharsets.UTF_8);
                keys.put(name, json);
                g.writeRawValue(json);
            } else {
                g.copyCurrentStructure(p);
            }
        }
        g.writeEndObject();
        return keys;
    }

    private void writeKeys(JsonGenerator g, Map<String, String> keys) throws IOException, InvalidSnapshotItemException {
        g.writeObjectFieldStart("Keys");
        for (String name : keyNames) {
            String json = keys.get(name);
            if (json == null) {
                throw new InvalidSnapshotItemException("the item lacks key attribute '" + name
                        + "' (the key schema is " + keyNames + ")");
            }
            g.writeFieldName(name);
            g.writeRawValue(json);
        }
        g.writeEndObject();
    }
}
