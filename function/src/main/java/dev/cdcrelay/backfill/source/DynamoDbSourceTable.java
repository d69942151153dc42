package dev.cdcrelay.backfill.source;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KinesisDataStreamDestination;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@link SourceTable} on DynamoDB's API. */
public final class DynamoDbSourceTable implements SourceTable {

    private final DynamoDbClient ddb;
    private final String tableName;
    private final String tableArn;

    /**
     * @param tableName the table's name, for the calls that take one (the function's own account and region)
     * @param tableArn  its ARN, for ExportTableToPointInTime
     */
    public DynamoDbSourceTable(DynamoDbClient ddb, String tableName, String tableArn) {
        this.ddb = ddb;
        this.tableName = tableName;
        this.tableArn = tableArn;
    }

    @Override
    public String keySchema() {
        TableDescription table = call("DescribeTable", () -> ddb.describeTable(b -> b.tableName(tableName)).table());
        return table.keySchema().stream().map(k -> k.attributeName() + ":" + typeOf(table, k))
                .collect(Collectors.joining(","));
    }

    private static String typeOf(TableDescription table, KeySchemaElement key) {
        return table.attributeDefinitions().stream().filter(d -> d.attributeName().equals(key.attributeName()))
                .map(AttributeDefinition::attributeTypeAsString).findFirst()
                .orElseThrow(() -> new BackfillRefusedException("DescribeTable: key attribute '" + key.attributeName()
                        + "' has no attribute definition"));
    }

    @Override
    public String streamingDestinationStatus(String streamArn) {
        return call("DescribeKinesisStreamingDestination", () -> ddb.describeKinesisStreamingDestination(b -> b.tableName(tableName)))
                .kinesisDataStreamDestinations().stream().filter(d -> streamArn.equals(d.streamArn()))
                .map(KinesisDataStreamDestination::destinationStatusAsString).findFirst().orElse("NONE");
    }

    @Override
    public boolean pointInTimeRecovery() {
        var description = call("DescribeContinuousBackups", () -> ddb.describeContinuousBackups(b -> b.tableName(tableName)))
                .continuousBackupsDescription();
        return description != null && description.pointInTimeRecoveryDescription() != null
                && description.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED;
    }

    @Override
    public ExportDescription describeExport(String exportArn) {
        var e = call("DescribeExport", () -> ddb.describeExport(b -> b.exportArn(exportArn))).exportDescription();
        Optional<String> failure = e.failureCode() == null ? Optional.empty()
                : Optional.of(e.failureCode() + ": " + e.failureMessage());
        return new ExportDescription(e.exportArn(), String.valueOf(e.exportStatusAsString()), String.valueOf(e.tableArn()),
                String.valueOf(e.exportFormatAsString()),
                e.exportType() == null ? ExportType.FULL_EXPORT.toString() : e.exportTypeAsString(),
                String.valueOf(e.s3Bucket()), e.s3Prefix() == null ? "" : e.s3Prefix(),
                Optional.ofNullable(e.exportTime()), Optional.ofNullable(e.exportManifest()),
                e.itemCount() == null ? 0 : e.itemCount(), failure);
    }

    @Override
    public String requestExport(String bucket, String prefix, String clientToken) {
        return call("ExportTableToPointInTime", () -> ddb.exportTableToPointInTime(b -> b.tableArn(tableArn)
                .s3Bucket(bucket).s3Prefix(prefix).exportFormat(ExportFormat.DYNAMODB_JSON)
                .exportType(ExportType.FULL_EXPORT).clientToken(clientToken)))
                .exportDescription().exportArn();
    }

    /** DynamoDB's 4xx answers (not found, validation, denied) refuse; throttling, 5xx and no connection pass. */
    private static <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (DynamoDbException e) {
            boolean passes = e.isThrottlingException() || e.statusCode() >= 500;
            String what = operation + " failed: " + e.getMessage();
            throw passes ? new RetryableBackfillException(what, e) : new BackfillRefusedException(what);
        } catch (SdkException e) {
            throw new RetryableBackfillException(operation + " failed: " + e.getMessage(), e);
        }
    }
}
