package dev.cdcrelay.backfill.source;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.settings.BackfillSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What must hold before a snapshot of the source table is loaded, checked against what DynamoDB
 * says, each refusal naming what is wrong and what to do. The merge rule and its precondition are
 * {@link SnapshotPoint}'s; this class only gathers the facts it checks.
 */
public final class SnapshotPreconditions {

    private final SourceTable table;
    private final BackfillSettings settings;
    private final Duration tombstoneRetention;

    public SnapshotPreconditions(SourceTable table, BackfillSettings settings, Duration tombstoneRetention) {
        this.table = table;
        this.settings = settings;
        this.tombstoneRetention = tombstoneRetention;
    }

    /**
     * The table's streaming destination to the relay's stream must be ACTIVE now: then it was
     * enabled before any snapshot taken from now on, and the stream carries every later change.
     */
    public void requireStreamActive() {
        String status = table.streamingDestinationStatus(settings.sourceStreamArn());
        if (!status.equals("ACTIVE")) {
            throw new BackfillRefusedException("the table " + settings.tableName() + " streams to "
                    + settings.sourceStreamArn() + " with status " + status + ", not ACTIVE: changes made during the"
                    + " backfill would be in neither; enable the Kinesis streaming destination (the relay's stack"
                    + " does) and start again once it is ACTIVE");
        }
    }

    /** An export needs point-in-time recovery; without it only a Scan can read the table. */
    public void requirePointInTimeRecovery() {
        if (!table.pointInTimeRecovery()) {
            throw new BackfillRefusedException("point-in-time recovery is off for the table " + settings.tableName()
                    + ", so it cannot be exported; turn it on (aws dynamodb update-continuous-backups ...) or start a"
                    + " Scan backfill instead: {\"scan\": {\"segments\": 8, \"readUnitsPerSecond\": 200}}");
        }
    }

    /**
     * An export given by ARN must be a full DYNAMODB_JSON export of this table in the backfill
     * bucket (the function may read only there), not FAILED, and taken after the stream started
     * (unless {@code streamEnabledAt} is empty because the caller said "unchecked") and within the
     * sink's tombstone retention.
     */
    public ExportDescription requireLoadable(String exportArn, Optional<Instant> streamEnabledAt, Instant now) {
        ExportDescription export = table.describeExport(exportArn);
        String where = "export " + exportArn + ": ";
        if (!export.tableArn().equals(settings.sourceTableArn())) {
            throw new BackfillRefusedException(where + "it is of the table " + export.tableArn() + ", this backfill loads "
                    + settings.sourceTableArn());
        }
        if (!export.exportFormat().equals("DYNAMODB_JSON")) {
            throw new BackfillRefusedException(where + "its format is " + export.exportFormat() + "; only DYNAMODB_JSON can be loaded");
        }
        if (!export.exportType().equals("FULL_EXPORT")) {
            throw new BackfillRefusedException(where + "it is an " + export.exportType() + "; only a FULL_EXPORT holds every item");
        }
        if (!export.bucket().equals(settings.bucket())) {
            throw new BackfillRefusedException(where + "it is in the bucket " + export.bucket() + "; the backfill function"
                    + " reads exports only in " + settings.bucket() + " (export again with --s3-bucket " + settings.bucket()
                    + " --s3-prefix " + settings.exportsPrefix() + ", or start with {\"requestExport\": true})");
        }
        requireNotFailed(export);
        if (export.exportTime().isPresent()) {
            SnapshotPoint point = SnapshotPoint.at(export.exportTime().get());
            if (streamEnabledAt.isPresent()) {
                point.requireStreamCovers(streamEnabledAt.get());
            }
            point.requireWithinRetention(now, tombstoneRetention);
        }
        return export;
    }

    /** A FAILED export is refused with DynamoDB's reason. */
    public static void requireNotFailed(ExportDescription export) {
        if (export.status().equals("FAILED")) {
            throw new BackfillRefusedException("export " + export.exportArn() + " FAILED: "
                    + export.failure().orElse("DynamoDB gave no reason") + "; request a new one");
        }
    }
}
