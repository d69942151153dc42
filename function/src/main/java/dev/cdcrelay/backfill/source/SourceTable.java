package dev.cdcrelay.backfill.source;

/**
 * The calls a backfill makes about its source table besides the Scan: behind an interface because
 * DynamoDB Local answers only DescribeTable of them (the decisions on the answers are tested with a
 * fake, {@link SnapshotPreconditions}). Each call throws
 * {@link dev.cdcrelay.backfill.RetryableBackfillException} when DynamoDB throttles or cannot be
 * reached, and {@link dev.cdcrelay.backfill.BackfillRefusedException} when it says no.
 */
public interface SourceTable {

    /** The table's key as RELAY_KEY_SCHEMA writes it, e.g. {@code device:S,timestamp:S} (DescribeTable). */
    String keySchema();

    /**
     * The status of the table's Kinesis streaming destination to this stream (ACTIVE, ENABLING,
     * DISABLED, ...), or NONE when the table streams nowhere there (DescribeKinesisStreamingDestination).
     */
    String streamingDestinationStatus(String streamArn);

    /** Whether point-in-time recovery is on (DescribeContinuousBackups): an export needs it. */
    boolean pointInTimeRecovery();

    /** DescribeExport. */
    ExportDescription describeExport(String exportArn);

    /**
     * ExportTableToPointInTime of the table as of now, a full export in DYNAMODB_JSON into
     * {@code s3://bucket/prefix}. The client token makes a retried request start one export only.
     *
     * @return the new export's ARN
     */
    String requestExport(String bucket, String prefix, String clientToken);
}
