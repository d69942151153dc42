package dev.cdcrelay.handler;

import dev.cdcrelay.backfill.execution.BackfillStart;
import dev.cdcrelay.backfill.execution.MapRunSummary;
import dev.cdcrelay.backfill.export.ExportStatusTask;
import dev.cdcrelay.backfill.export.LoadFileTask;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.backfill.s3.S3ObjectStore;
import dev.cdcrelay.backfill.scan.ScanSegmentTask;
import dev.cdcrelay.backfill.source.DynamoDbSourceTable;
import dev.cdcrelay.backfill.source.SnapshotPreconditions;
import dev.cdcrelay.backfill.source.SourceTable;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.settings.BackfillSettings;
import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.InvalidSettingsException;
import dev.cdcrelay.settings.RelaySettings;
import dev.cdcrelay.settings.SettingProblem;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the backfill function's tasks from its environment: the relay's settings and the four
 * backfill variables, validated together (every problem named at once, the password never), the
 * key schema from DescribeTable when RELAY_KEY_SCHEMA is unset, the DynamoDB and S3 clients on the
 * JDK's HTTP client (region and credentials from Lambda's environment; {@code AWS_ENDPOINT_URL_S3}
 * and {@code AWS_ENDPOINT_URL_DYNAMODB}, read by the SDK itself, point them elsewhere).
 */
public final class BackfillWiring {

    private BackfillWiring() {
    }

    public static BackfillTasks fromEnvironment(Map<String, String> env, Consumer<String> log) {
        BackfillSettings backfill = readSettings(env);
        DynamoDbClient ddb = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        // WHEN_REQUIRED: no aws-chunked upload with a trailing checksum for the small objects written here.
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
        return wire(env, backfill, new DynamoDbSourceTable(ddb, backfill.tableName(), backfill.sourceTableArn()), ddb, new S3ObjectStore(s3),
                Clock.systemUTC(), log);
    }

    /** Both settings' problems at once: the function refuses to start naming every one of them. */
    static BackfillSettings readSettings(Map<String, String> env) {
        List<SettingProblem> problems = new ArrayList<>(RelaySettings.problemsWith(env));
        problems.addAll(BackfillSettings.problemsWith(env));
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return BackfillSettings.read(env);
    }

    /** The tasks on these services (tests: DynamoDB Local, an S3 server of their own, a fake table). */
    public static BackfillTasks wire(Map<String, String> env, BackfillSettings backfill, SourceTable table,
                                     DynamoDbClient ddb, ObjectStore store, Clock clock, Consumer<String> log) {
        Map<String, String> withKeys = new HashMap<>(env);
        if (env.getOrDefault(EnvVar.RELAY_KEY_SCHEMA.name(), "").isBlank()) {
            // An exported or scanned item does not say which attributes are its key; the table does.
            withKeys.put(EnvVar.RELAY_KEY_SCHEMA.name(), table.keySchema());
        }
        RelayConfig config = RelayConfig.fromEnvironment(withKeys);
        List<String> keyNames = config.keySchema().orElseThrow().names();
        int batch = config.settings().writer().rowsPerBatch();
        SnapshotPreconditions preconditions = new SnapshotPreconditions(table, backfill,
                Duration.ofHours(config.settings().writer().tombstoneRetentionHours()));
        return new BackfillTasks(
                new BackfillStart(table, store, backfill, preconditions, clock),
                new ExportStatusTask(table, store),
                new LoadFileTask(store, backfill, keyNames, batch),
                new ScanSegmentTask(ddb, store, backfill, keyNames, batch),
                new MapRunSummary(store),
                Relay.fromConfig(config, log));
    }
}
