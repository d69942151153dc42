package dev.cdcrelay.backfill.export;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.ExportFiles;
import dev.cdcrelay.backfill.ExportManifest;
import dev.cdcrelay.backfill.InvalidExportException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import dev.cdcrelay.backfill.SnapshotLoader;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.SnapshotRecords;
import dev.cdcrelay.backfill.SourceOutcome;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.backfill.source.ExportDescription;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.settings.BackfillSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backfill function's {@code loadFile} action: one data file of an export, read from S3 (its MD5
 * checked over the whole object before anything of it is loaded), its items loaded through the
 * relay as of the export's time, and a finished marker written when every item is in the sink.
 *
 * <p>Status LOADED, ALREADY_LOADED (a marker from an earlier run), or PROBLEMS: a file that is not
 * what the export wrote (checksum, gzip, an invalid item, a wrong count) is reported by file and
 * line, never thrown, and gets no marker, so a resumed run tries it again. The sink not taking
 * items is thrown as {@link RetryableBackfillException}.
 */
public final class LoadFileTask {

    private final ObjectStore store;
    private final BackfillSettings settings;
    private final FinishedMarkers markers;
    private final List<String> keyNames;
    private final int batchSize;

    public LoadFileTask(ObjectStore store, BackfillSettings settings, List<String> keyNames, int batchSize) {
        this.store = store;
        this.settings = settings;
        this.markers = new FinishedMarkers(store, settings);
        this.keyNames = List.copyOf(keyNames);
        this.batchSize = batchSize;
    }

    public Map<String, Object> run(TaskInput input, Relay relay) {
        String bucket = input.string("bucket");
        if (!bucket.equals(settings.bucket())) {
            throw new BackfillRefusedException("loadFile: the export is in the bucket " + bucket
                    + "; the backfill function reads exports only in " + settings.bucket());
        }
        String exportId = ExportDescription.idOf(input.string("exportArn"));
        int index = (int) input.whole("fileIndex", 0, SnapshotPoint.MAX_SOURCES - 1);
        ExportManifest.DataFile file = dataFile(input.object("file"), index);
        String key = input.object("file").string("dataFileS3Key");
        Optional<FinishedMarkers.Counts> finished = markers.find(exportId, key);
        if (finished.isPresent()) {
            return output(key, "ALREADY_LOADED", finished.get().itemsRead(), finished.get().loaded(), List.of());
        }
        SnapshotPoint point = new SnapshotPoint(input.instant("exportTime"), Duration.ofSeconds(
                input.optionalWhole("marginSeconds", 0, 86_400).orElse(SnapshotPoint.DEFAULT_MARGIN_SECONDS)));
        SnapshotLoader loader = new SnapshotLoader(relay, new SnapshotRecords(keyNames, point), batchSize);
        SourceOutcome outcome = ExportFiles.load(loader, file, () -> store.open(bucket, key), n -> { });
        if (outcome.notTaken() > 0) {
            throw new RetryableBackfillException(key + ": the sink did not take " + outcome.notTaken()
                    + " item(s); loading the file again is safe: " + outcome.problems());
        }
        if (!outcome.clean()) {
            return output(key, "PROBLEMS", outcome.itemsRead(), outcome.itemsLoaded(), outcome.problems());
        }
        markers.mark(exportId, key, new FinishedMarkers.Counts(outcome.itemsRead(), outcome.itemsLoaded()));
        return output(key, "LOADED", outcome.itemsRead(), outcome.itemsLoaded(), List.of());
    }

    private static ExportManifest.DataFile dataFile(TaskInput file, int index) {
        try {
            return ExportManifest.entry(index, file.members(), "loadFile: file");
        } catch (InvalidExportException e) {
            throw new BackfillRefusedException(e.getMessage());
        }
    }

    private static Map<String, Object> output(String file, String status, long read, long loaded, List<String> problems) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("file", file);
        output.put("status", status);
        output.put("itemsRead", read);
        output.put("loaded", loaded);
        output.put("problems", problems);
        return output;
    }
}
