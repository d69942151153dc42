package dev.cdcrelay.backfill.execution;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.JsonTree;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.backfill.scan.ScanBackfill;
import dev.cdcrelay.backfill.source.SnapshotPreconditions;
import dev.cdcrelay.backfill.source.SourceTable;
import dev.cdcrelay.settings.BackfillSettings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The backfill function's {@code start} action: decides the mode from the execution's input,
 * checks the preconditions before anything is loaded, and returns what the state machine's next
 * states need. {@code {"requestExport": true}} exports the table now (PITR required);
 * {@code {"exportArn": "...", "streamEnabledAt": "..."}} (or {@code "unchecked": true}) loads an
 * existing export; {@code {"scan": {"segments": 8, "readUnitsPerSecond": 200}}} plans a parallel
 * Scan as of now, {@code {"scan": {"resumeScanId": "..."}}} the same Scan again (each segment
 * resumes from its checkpoint). Every mode requires the table's streaming destination ACTIVE.
 */
public final class BackfillStart {

    private static final DateTimeFormatter SCAN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final SourceTable table;
    private final ObjectStore store;
    private final BackfillSettings settings;
    private final SnapshotPreconditions preconditions;
    private final Clock clock;

    public BackfillStart(SourceTable table, ObjectStore store, BackfillSettings settings,
                         SnapshotPreconditions preconditions, Clock clock) {
        this.table = table;
        this.store = store;
        this.settings = settings;
        this.preconditions = preconditions;
        this.clock = clock;
    }

    /**
     * @param event {@code {"action": "start", "input": <the execution's input>}}; an optional
     *              {@code clientToken} beside {@code input} (e.g. the execution's name) makes a retried
     *              start request one export only
     */
    public Map<String, Object> run(TaskInput event) {
        TaskInput input = event.optionalObject("input").orElse(event);
        Optional<String> clientToken = event.optionalString("clientToken").or(() -> input.optionalString("clientToken"));
        long margin = input.optionalWhole("marginSeconds", 0, 86_400).orElse(SnapshotPoint.DEFAULT_MARGIN_SECONDS);
        Optional<TaskInput> scan = input.optionalObject("scan");
        int modes = (scan.isPresent() ? 1 : 0) + (input.flag("requestExport") ? 1 : 0) + (input.has("exportArn") ? 1 : 0);
        if (modes != 1) {
            throw new BackfillRefusedException("start: give exactly one of {\"requestExport\": true},"
                    + " {\"exportArn\": \"...\", \"streamEnabledAt\": \"<ISO instant>\"} or {\"scan\": {\"segments\": N}}");
        }
        preconditions.requireStreamActive();
        if (scan.isPresent()) {
            return scan(scan.get(), margin);
        }
        String exportArn;
        if (input.flag("requestExport")) {
            preconditions.requirePointInTimeRecovery();
            String token = clientToken.orElseGet(() -> UUID.randomUUID().toString());
            exportArn = table.requestExport(settings.bucket(), settings.exportsPrefix(), token);
        } else {
            exportArn = input.string("exportArn");
            Optional<Instant> enabledAt = input.optionalInstant("streamEnabledAt");
            if (enabledAt.isEmpty() && !input.flag("unchecked")) {
                throw new BackfillRefusedException("start: give \"streamEnabledAt\" (when the table's Kinesis streaming"
                        + " destination became ACTIVE) so that the backfill can check the stream covers the export,"
                        + " or \"unchecked\": true if no change can have been made since the export");
            }
            preconditions.requireLoadable(exportArn, enabledAt, clock.instant());
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("mode", "export");
        output.put("exportArn", exportArn);
        output.put("bucket", settings.bucket());
        output.put("marginSeconds", margin);
        return output;
    }

    private Map<String, Object> scan(TaskInput scan, long margin) {
        ScanPlan plan = scan.optionalString("resumeScanId").map(this::savedPlan).orElseGet(() -> {
            int segments = scan.optionalWhole("segments", 1, ScanBackfill.Settings.MAX_SEGMENTS).orElse(4L).intValue();
            double units = scan.optionalPositive("readUnitsPerSecond").orElse(100.0);
            Instant now = clock.instant();
            ScanPlan fresh = new ScanPlan("scan-" + SCAN_ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8),
                    now, segments, units, margin);
            store.write(settings.bucket(), planKey(fresh.scanId()), JsonTree.toJson(fresh.toJson()).getBytes(StandardCharsets.UTF_8));
            return fresh;
        });
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("mode", "scan");
        output.put("scanId", plan.scanId());
        output.put("snapshotTime", plan.snapshotTime().toString());
        output.put("bucket", settings.bucket());
        output.put("marginSeconds", plan.marginSeconds());
        output.put("segments", plan.segments());
        return output;
    }

    private ScanPlan savedPlan(String scanId) {
        byte[] saved = store.read(settings.bucket(), planKey(scanId)).orElseThrow(() -> new BackfillRefusedException(
                "start: there is no scan " + scanId + " to resume (s3://" + settings.bucket() + "/" + planKey(scanId) + " is missing)"));
        return ScanPlan.fromJson(TaskInput.of(JsonTree.parse(saved, planKey(scanId)), planKey(scanId)));
    }

    private String planKey(String scanId) {
        return settings.prefix() + "scans/" + scanId + "/scan.json";
    }

    /** A Scan as planned at its start; kept so that a resumed scan has the same segments and snapshot time. */
    record ScanPlan(String scanId, Instant snapshotTime, int totalSegments, double readUnitsPerSecond, long marginSeconds) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scanId", scanId);
            json.put("snapshotTime", snapshotTime.toString());
            json.put("totalSegments", (long) totalSegments);
            json.put("readUnitsPerSecond", readUnitsPerSecond);
            json.put("marginSeconds", marginSeconds);
            return json;
        }

        static ScanPlan fromJson(TaskInput json) {
            return new ScanPlan(json.string("scanId"), json.instant("snapshotTime"),
                    (int) json.whole("totalSegments", 1, ScanBackfill.Settings.MAX_SEGMENTS),
                    json.optionalPositive("readUnitsPerSecond").orElse(100.0),
                    json.whole("marginSeconds", 0, 86_400));
        }

        /** One task input per segment; the read rate is shared out evenly. */
        List<Map<String, Object>> segments() {
            List<Map<String, Object>> list = new ArrayList<>(totalSegments);
            for (int k = 0; k < totalSegments; k++) {
                Map<String, Object> segment = new LinkedHashMap<>();
                segment.put("segment", (long) k);
                segment.put("totalSegments", (long) totalSegments);
                segment.put("scanId", scanId);
                segment.put("snapshotTime", snapshotTime.toString());
                segment.put("readUnitsPerSecond", readUnitsPerSecond / totalSegments);
                segment.put("marginSeconds", marginSeconds);
                list.add(segment);
            }
            return list;
        }
    }
}
