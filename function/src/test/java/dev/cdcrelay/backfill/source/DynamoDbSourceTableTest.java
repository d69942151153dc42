package dev.cdcrelay.backfill.source;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import dev.cdcrelay.testing.DynamoDbLocal;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.ServerSocket;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DynamoDbSourceTable} against DynamoDB Local, for what it answers: DescribeTable for real;
 * the streaming destination, PITR and export calls it does not know ("unknown operation", a 400),
 * which shows how a 4xx answer is refused (never retried) naming the call.
 */
class DynamoDbSourceTableTest {

    private static DynamoDbSourceTable table(String name) {
        return new DynamoDbSourceTable(DynamoDbLocal.client(), name, DynamoDbLocal.tableArn(name));
    }

    @Test
    void theKeySchemaComesFromDescribeTableHashKeyFirst() {
        assertEquals("device:S,timestamp:S", table(DynamoDbLocal.freshTable("source")).keySchema());
    }

    @Test
    void aMissingTableIsRefusedNamingTheCall() {
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class, () -> table("no-such-table").keySchema());
        assertTrue(e.getMessage().startsWith("DescribeTable failed: Cannot do operations on a non-existent table"), e.getMessage());
    }

    @Test
    void callsDynamoDbLocalDoesNotKnowAreRefusedNotRetried() {
        DynamoDbSourceTable t = table(DynamoDbLocal.freshTable("source"));
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class,
                () -> t.streamingDestinationStatus("arn:aws:kinesis:eu-central-1:123456789012:stream/x"));
        assertTrue(e.getMessage().startsWith("DescribeKinesisStreamingDestination failed: An unknown operation"), e.getMessage());
        e = assertThrows(BackfillRefusedException.class, t::pointInTimeRecovery);
        assertTrue(e.getMessage().startsWith("DescribeContinuousBackups failed: An unknown operation"), e.getMessage());
        e = assertThrows(BackfillRefusedException.class, () -> t.describeExport(DynamoDbLocal.tableArn("x") + "/export/1-a"));
        assertTrue(e.getMessage().startsWith("DescribeExport failed: An unknown operation"), e.getMessage());
        e = assertThrows(BackfillRefusedException.class, () -> t.requestExport("bucket", "backfill/exports/", "token"));
        assertTrue(e.getMessage().startsWith("ExportTableToPointInTime failed: An unknown operation"), e.getMessage());
    }

    @Test
    void aDynamoDbThatCannotBeReachedIsRetryable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (DynamoDbClient unreachable = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + closed))
                .region(Region.EU_CENTRAL_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            RetryableBackfillException e = assertThrows(RetryableBackfillException.class,
                    () -> new DynamoDbSourceTable(unreachable, "t", "arn").keySchema());
            assertTrue(e.getMessage().startsWith("DescribeTable failed: "), e.getMessage());
        }
    }
}
