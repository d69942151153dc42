package dev.cdcrelay.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a parallel Scan got to, kept in a file so that a stopped backfill resumes from the last page
 * it loaded instead of starting over: the scan's start (the snapshot's time, which must not change
 * on resume: every item keeps the same version) and per segment the key after which to continue, or
 * that it is done. Written to a temporary file and moved over the old one, so a crash leaves the
 * previous state. Thread-safe.
 */
public final class ScanCheckpoint {

    private static final JsonFactory JSON = new JsonFactory();

    /** One segment's state: pages loaded, the last evaluated key (empty before the first page), done. */
    record Segment(int pages, Map<String, AttributeValue> lastKey, boolean done) {
        static final Segment START = new Segment(0, Map.of(), false);
    }

    private final Optional<Path> file;
    private final String table;
    private final int totalSegments;
    private final Instant scanStart;
    private final Map<Integer, Segment> segments = new LinkedHashMap<>();

    private ScanCheckpoint(Optional<Path> file, String table, int totalSegments, Instant scanStart) {
        this.file = file;
        this.table = table;
        this.totalSegments = totalSegments;
        this.scanStart = scanStart;
        for (int i = 0; i < totalSegments; i++) {
            segments.put(i, Segment.START);
        }
    }

    /** A checkpoint kept in memory only (nothing to resume from). */
    public static ScanCheckpoint inMemory(String table, int totalSegments, Instant scanStart) {
        return new ScanCheckpoint(Optional.empty(), table, totalSegments, scanStart);
    }

    /**
     * The checkpoint in this file: read back when it exists (and is for this table and segment
     * count), else a new one starting now.
     */
    public static ScanCheckpoint open(Path file, String table, int totalSegments, Instant now) throws IOException {
        if (!Files.exists(file)) {
            ScanCheckpoint c = new ScanCheckpoint(Optional.of(file), table, totalSegments, now);
            c.save();
            return c;
        }
        return read(file, table, totalSegments);
    }

    public Instant scanStart() {
        return scanStart;
    }

    synchronized Segment segment(int i) {
        return segments.get(i);
    }

    public synchronized boolean allDone() {
        return segments.values().stream().allMatch(Segment::done);
    }

    /** Records a loaded page and persists. */
    synchronized void pageLoaded(int segment, Map<String, AttributeValue> lastKey) {
        Segment s = segments.get(segment);
        segments.put(segment, new Segment(s.pages() + 1, lastKey == null ? Map.of() : Map.copyOf(lastKey),
                lastKey == null || lastKey.isEmpty()));
        save();
    }

    private void save() {
        if (file.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeNumberField("totalSegments", totalSegments);
            g.writeStringField("scanStart", scanStart.toString());
            g.writeArrayFieldStart("segments");
            for (Segment s : segments.values()) {
                g.writeStartObject();
                g.writeNumberField("pages", s.pages());
                g.writeBooleanField("done", s.done());
                g.writeObjectFieldStart("lastKey");
                for (Map.Entry<String, AttributeValue> e : s.lastKey().entrySet()) {
                    g.writeFieldName(e.getKey());
                    KinesisRecordWrapper.writeValue(g, e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path f = file.get();
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.write(tmp, out.toByteArray());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scan checkpoint " + file.get(), e);
        }
    }

    private static ScanCheckpoint read(Path file, String table, int totalSegments) throws IOException {
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            expect(p.nextToken() == JsonToken.START_OBJECT, file, "not a JSON object");
            String savedTable = null;
            int savedSegments = -1;
            Instant start = null;
            Map<Integer, Segment> segments = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "table" -> savedTable = p.getText();
                    case "totalSegments" -> savedSegments = p.getIntValue();
                    case "scanStart" -> start = Instant.parse(p.getText());
                    case "segments" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            segments.put(segments.size(), segment(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(table.equals(savedTable) && savedSegments == totalSegments && start != null
                    && segments.size() == totalSegments, file,
                    "it is for table " + savedTable + " with " + savedSegments + " segment(s); this scan is " + table
                            + " with " + totalSegments + " (delete the file to start over)");
            ScanCheckpoint c = new ScanCheckpoint(Optional.of(file), table, totalSegments, start);
            c.segments.putAll(segments);
            return c;
        }
    }

    private static Segment segment(JsonParser p) throws IOException {
        int pages = 0;
        boolean done = false;
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "pages" -> pages = p.getIntValue();
                case "done" -> done = p.getBooleanValue();
                case "lastKey" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String attr = p.currentName();
                        p.nextToken(); // {
                        p.nextToken(); // the type
                        String type = p.currentName();
                        p.nextToken();
                        String value = p.getText();
                        p.nextToken(); // }
                        key.put(attr, switch (type) {
                            case "S" -> AttributeValue.fromS(value);
                            case "N" -> AttributeValue.fromN(value);
                            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(value)));
                            default -> throw new IOException("key attribute " + attr + " has type " + type);
                        });
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Segment(pages, key, done);
    }

    private static void expect(boolean ok, Path file, String problem) throws IOException {
        if (!ok) {
            throw new IOException("scan checkpoint " + file + ": " + problem);
        }
    }
}
