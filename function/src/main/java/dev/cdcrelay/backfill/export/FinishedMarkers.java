package dev.cdcrelay.backfill.export;

import dev.cdcrelay.backfill.JsonTree;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.settings.BackfillSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The data files of an export loaded without a problem, one marker object each at
 * {@code <prefix>finished/<export-id>/<sha256 of dataFileS3Key>} holding what the load counted, so
 * a resumed backfill skips them (loading again would be safe, only slow). A marker is written only
 * after every item of its file is in the sink.
 */
public final class FinishedMarkers {

    /** What a finished file's load counted. */
    public record Counts(long itemsRead, long loaded) {
    }

    private final ObjectStore store;
    private final BackfillSettings settings;

    public FinishedMarkers(ObjectStore store, BackfillSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    public Optional<Counts> find(String exportId, String dataFileS3Key) {
        return store.read(settings.bucket(), key(exportId, dataFileS3Key)).map(bytes -> {
            TaskInput marker = TaskInput.of(JsonTree.parse(bytes, "marker of " + dataFileS3Key), "marker of " + dataFileS3Key);
            return new Counts(marker.whole("itemsRead", 0, Long.MAX_VALUE), marker.whole("loaded", 0, Long.MAX_VALUE));
        });
    }

    public void mark(String exportId, String dataFileS3Key, Counts counts) {
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("dataFileS3Key", dataFileS3Key);
        marker.put("itemsRead", counts.itemsRead());
        marker.put("loaded", counts.loaded());
        store.write(settings.bucket(), key(exportId, dataFileS3Key), JsonTree.toJson(marker).getBytes(StandardCharsets.UTF_8));
    }

    /** A hash, not the key itself: data file keys are long and carry the export's own prefix. */
    String key(String exportId, String dataFileS3Key) {
        return settings.prefix() + "finished/" + exportId + "/" + sha256(dataFileS3Key);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
