package dev.cdcrelay.backfill.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a parallel Scan of all its segments got to, kept in a {@link CheckpointStore} (a file for
 * {@code local}) so that a stopped backfill resumes from the last page it loaded instead of
 * starting over: the scan's start (the snapshot's time, which must not change on resume: every
 * item keeps the same version) and per segment its {@link SegmentPosition}. Thread-safe.
 */
public final class ScanCheckpoint {

    private static final JsonFactory JSON = new JsonFactory();

    private final Optional<CheckpointStore> store;
    private final String table;
    private final int totalSegments;
    private final Instant scanStart;
    private final Map<Integer, SegmentPosition> segments = new LinkedHashMap<>();

    private ScanCheckpoint(Optional<CheckpointStore> store, String table, int totalSegments, Instant scanStart) {
        this.store = store;
        this.table = table;
        this.totalSegments = totalSegments;
        this.scanStart = scanStart;
        for (int i = 0; i < totalSegments; i++) {
            segments.put(i, SegmentPosition.START);
        }
    }

    /** A checkpoint kept in memory only (nothing to resume from). */
    public static ScanCheckpoint inMemory(String table, int totalSegments, Instant scanStart) {
        return new ScanCheckpoint(Optional.empty(), table, totalSegments, scanStart);
    }

    /** The checkpoint in this file (see {@link #open(CheckpointStore, String, int, Instant)}). */
    public static ScanCheckpoint open(Path file, String table, int totalSegments, Instant now) throws IOException {
        return open(CheckpointStore.file(file), table, totalSegments, now);
    }

    /**
     * The checkpoint in this store: read back when there is one (and it is for this table and
     * segment count), else a new one starting now.
     */
    public static ScanCheckpoint open(CheckpointStore store, String table, int totalSegments, Instant now) throws IOException {
        Optional<byte[]> saved = store.read();
        if (saved.isEmpty()) {
            ScanCheckpoint c = new ScanCheckpoint(Optional.of(store), table, totalSegments, now);
            c.save();
            return c;
        }
        return read(saved.get(), store, table, totalSegments);
    }

    public Instant scanStart() {
        return scanStart;
    }

    synchronized SegmentPosition segment(int i) {
        return segments.get(i);
    }

    public synchronized boolean allDone() {
        return segments.values().stream().allMatch(SegmentPosition::done);
    }

    /** Records a loaded page and persists. */
    synchronized void pageLoaded(int segment, Map<String, AttributeValue> lastKey, long read, long loaded) {
        segments.put(segment, segments.get(segment).next(lastKey, read, loaded));
        save();
    }

    private void save() {
        if (store.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeNumberField("totalSegments", totalSegments);
            g.writeStringField("scanStart", scanStart.toString());
            g.writeArrayFieldStart("segments");
            for (SegmentPosition s : segments.values()) {
                s.write(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.get().write(out.toByteArray());
    }

    private static ScanCheckpoint read(byte[] saved, CheckpointStore store, String table, int totalSegments) throws IOException {
        try (JsonParser p = JSON.createParser(saved)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, store, "not a JSON object");
            String savedTable = null;
            int savedSegments = -1;
            Instant start = null;
            Map<Integer, SegmentPosition> segments = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "table" -> savedTable = p.getText();
                    case "totalSegments" -> savedSegments = p.getIntValue();
                    case "scanStart" -> start = Instant.parse(p.getText());
                    case "segments" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            segments.put(segments.size(), SegmentPosition.read(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(table.equals(savedTable) && savedSegments == totalSegments && start != null
                    && segments.size() == totalSegments, store,
                    "it is for table " + savedTable + " with " + savedSegments + " segment(s); this scan is " + table
                            + " with " + totalSegments + " (delete the file to start over)");
            ScanCheckpoint c = new ScanCheckpoint(Optional.of(store), table, totalSegments, start);
            c.segments.putAll(segments);
            return c;
        }
    }

    private static void expect(boolean ok, CheckpointStore store, String problem) throws IOException {
        if (!ok) {
            throw new IOException("scan checkpoint " + store.describe() + ": " + problem);
        }
    }
}
