package dev.cdcrelay.backfill.export;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.ExportManifest;
import dev.cdcrelay.backfill.InvalidExportException;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.backfill.source.ExportDescription;
import dev.cdcrelay.backfill.source.SnapshotPreconditions;
import dev.cdcrelay.backfill.source.SourceTable;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backfill function's {@code exportStatus} action: IN_PROGRESS while DynamoDB writes the export;
 * once COMPLETED, its manifest-summary.json read and checked (full export, DYNAMODB_JSON, its time
 * and count) and the key of manifest-files.json handed to the Distributed Map. A FAILED export is
 * refused with DynamoDB's reason.
 */
public final class ExportStatusTask {

    private final SourceTable table;
    private final ObjectStore store;

    public ExportStatusTask(SourceTable table, ObjectStore store) {
        this.table = table;
        this.store = store;
    }

    public Map<String, Object> run(TaskInput input) {
        String exportArn = input.string("exportArn");
        ExportDescription export = table.describeExport(exportArn);
        SnapshotPreconditions.requireNotFailed(export);
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("status", export.status());
        output.put("exportArn", exportArn);
        output.put("bucket", export.bucket());
        output.put("marginSeconds", input.optionalWhole("marginSeconds", 0, 86_400).orElse(SnapshotPoint.DEFAULT_MARGIN_SECONDS));
        if (!export.status().equals("COMPLETED")) {
            return output;
        }
        String summaryKey = export.manifestSummaryKey().orElseThrow(() -> new BackfillRefusedException("export "
                + exportArn + " is COMPLETED but DescribeExport names no manifest (ExportManifest)"));
        byte[] summaryText = store.read(export.bucket(), summaryKey).orElseThrow(() -> new BackfillRefusedException(
                "export " + exportArn + ": s3://" + export.bucket() + "/" + summaryKey + " is missing"));
        ExportManifest.Summary summary;
        try {
            summary = ExportManifest.summary(new String(summaryText, StandardCharsets.UTF_8));
        } catch (InvalidExportException e) {
            throw new BackfillRefusedException("export " + exportArn + ": " + e.getMessage());
        }
        output.put("manifestFilesKey", summary.manifestFilesKey());
        output.put("exportTime", summary.exportTime().toString());
        output.put("itemCount", summary.itemCount());
        return output;
    }
}
