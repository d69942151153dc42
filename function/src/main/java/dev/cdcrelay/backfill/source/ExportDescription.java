package dev.cdcrelay.backfill.source;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What DescribeExport says about an export, in the terms the backfill checks.
 *
 * @param status             IN_PROGRESS, COMPLETED or FAILED
 * @param exportTime         the point in time the export reflects
 * @param manifestSummaryKey the S3 key of manifest-summary.json (DescribeExport's ExportManifest), once COMPLETED
 * @param failure            DynamoDB's failure code and message, for a FAILED export
 */
public record ExportDescription(String exportArn, String status, String tableArn, String exportFormat, String exportType,
                                String bucket, String prefix, Optional<Instant> exportTime,
                                Optional<String> manifestSummaryKey, long itemCount, Optional<String> failure) {

    public ExportDescription {
        Objects.requireNonNull(exportArn);
        Objects.requireNonNull(status);
        Objects.requireNonNull(tableArn);
        Objects.requireNonNull(exportFormat);
        Objects.requireNonNull(exportType);
        Objects.requireNonNull(bucket);
        Objects.requireNonNull(prefix);
        Objects.requireNonNull(exportTime);
        Objects.requireNonNull(manifestSummaryKey);
        Objects.requireNonNull(failure);
    }

    /** The export's id, the last part of its ARN ({@code .../export/<id>}): DynamoDB's folder name under AWSDynamoDB/. */
    public static String idOf(String exportArn) {
        return exportArn.substring(exportArn.lastIndexOf('/') + 1);
    }
}
