package dev.cdcrelay.stack;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.components.Alarms;
import dev.cdcrelay.stack.components.Backfill;
import dev.cdcrelay.stack.components.ChangeStream;
import dev.cdcrelay.stack.components.CredentialSecret;
import dev.cdcrelay.stack.components.FailureHandling;
import dev.cdcrelay.stack.components.FreshnessAlarm;
import dev.cdcrelay.stack.components.FunctionImage;
import dev.cdcrelay.stack.components.FunctionLogs;
import dev.cdcrelay.stack.components.FunctionRole;
import dev.cdcrelay.stack.components.LogQueries;
import dev.cdcrelay.stack.components.OperationsDashboard;
import dev.cdcrelay.stack.components.RelayFunction;
import dev.cdcrelay.stack.components.SourceTable;
import dev.cdcrelay.stack.components.StreamMapping;
import dev.cdcrelay.stack.config.RelayStackConfig;
import dev.cdcrelay.stack.config.TableRelaySettings;
import dev.cdcrelay.write.TableName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one table needs of its own: source table, stream (and streaming destination), log group, role,
 * function, mapping, alarms (replication lag among them), saved log queries and a dashboard, declared
 * under {@code parent}, and its {@link Backfill}. The role reads only this table's stream
 * and writes only this table's dead-letter prefix; the image, the password secret, the failure queue
 * and the dead-letter bucket are the stack's, shared by every table.
 */
final class TableResources {

    /**
     * What every table of the stack shares.
     *
     * @param alarms how this table's alarms notify and whether they also watch the failure queue
     */
    record Shared(RelayStackConfig settings, CrateDbCredentials credentials, FunctionImage image,
                  FailureHandling failures, Optional<CredentialSecret> passwordSecret, TableAlarms alarms) {

        Shared {
            Objects.requireNonNull(settings);
            Objects.requireNonNull(credentials);
            Objects.requireNonNull(image);
            Objects.requireNonNull(failures);
            Objects.requireNonNull(passwordSecret);
            Objects.requireNonNull(alarms);
        }

        Shared withAlarms(TableAlarms tableAlarms) {
            return new Shared(settings, credentials, image, failures, passwordSecret, tableAlarms);
        }
    }

    /**
     * The alarms of one table. A single-table stack's one Alarms component also watches the queue and owns
     * the topic (as it always has); the entries of {@code tables} leave both to the stack's own Alarms, or
     * to the relay that keeps the single-table names.
     */
    record TableAlarms(boolean watchFailureQueue, Alarms.Notification notification) {

        static final TableAlarms SINGLE_TABLE = new TableAlarms(true, new Alarms.Notification.AsConfigured());

        /** The function's alarms only, notifying the topic the stack resolved once. */
        static TableAlarms functionOnly(Optional<Output<String>> sharedTopicArn) {
            return new TableAlarms(false, new Alarms.Notification.Shared(sharedTopicArn));
        }
    }

    final Output<String> tableName;
    final Output<String> tableArn;
    final Output<String> streamName;
    final Output<String> streamArn;
    final Output<String> functionName;
    final Output<String> functionArn;
    final Output<String> roleArn;
    final Output<String> logGroupName;
    final Output<String> eventSourceMappingUuid;
    final String deadLetterPrefix;
    /** The topic the table's alarms notify, if any. */
    final Optional<Output<String>> alarmTopicArn;
    /** The CloudWatch console URL of the table's dashboard. */
    final Output<String> dashboardUrl;
    /** The table's backfill; none with {@code backfill.enabled false}. */
    final Optional<Backfill> backfill;

    /** The function's name, fixed up front: the log group, the image's pull policy and the secret name it. */
    static String functionName(String prefix) {
        return prefix + "-function";
    }

    /** Every function of the table, by name: each runs the stack's image. */
    static List<String> functionNames(String prefix, RelayStackConfig settings) {
        var names = new ArrayList<>(List.of(functionName(prefix)));
        settings.backfill().ifPresent(backfill -> names.add(Backfill.functionName(prefix)));
        return names;
    }

    TableResources(String prefix, TableRelaySettings table, Shared shared, Map<String, String> tags, Resource parent) {
        var settings = shared.settings();
        var functionName = functionName(prefix);
        var failures = shared.failures();
        var source = new SourceTable(prefix, table.table(), tags, parent);
        var stream = new ChangeStream(prefix, table.stream(), source.tableName,
                table.mapping().maximumRecordAgeSeconds(), tags, parent);
        var logs = new FunctionLogs(prefix, functionName, settings.function(), tags, parent);
        Optional<Output<String>> passwordSecretArn = shared.passwordSecret().map(secret -> secret.secretArn);
        var role = new FunctionRole(prefix, new FunctionRole.Grants(stream.streamArn, logs.logGroupArn,
                failures.failureQueueArn, failures.deadLetterBucketArn, table.failures().deadLetterPrefix(),
                stream.customerManagedKeyArn, passwordSecretArn, settings.vpc().isPresent()), tags, parent);
        // This table's sink and dead-letter prefix; checked with the function's rules per table at config time
        // (RelayStackConfig.readTableRelay) and again as deployed (RelayFunction.environment).
        var environment = RelayFunction.environment(shared.credentials(), passwordSecretArn, source.keySchema,
                failures.deadLetterBucketName, table.sink(), table.failures());
        Optional<Resource> passwordSecretValue = shared.passwordSecret().map(secret -> secret.value);
        var function = new RelayFunction(prefix, settings.function(), settings.image(), settings.vpc(),
                new RelayFunction.Parts(functionName, shared.image().imageUri, role.roleArn, environment,
                        logs.logGroup, role.permissions, shared.image().accessPolicy, passwordSecretValue),
                tags, parent);
        var mapping = new StreamMapping(prefix, table.mapping(), stream.streamArn, function.functionArn,
                failures.failureQueueArn, role.permissions, tags, parent);
        var watched = shared.alarms().watchFailureQueue()
                ? Alarms.Watched.functionAndQueue(function.functionName, failures.failureQueueName)
                : Alarms.Watched.function(function.functionName);
        var alarms = new Alarms(prefix, settings.alarms(), watched, shared.alarms().notification(), tags, parent);
        var sinkTable = TableName.parse(table.sink().cratedbTable()).toString(); // as the function names it
        new FreshnessAlarm(prefix, settings.alarms().replicationLagMs(), function.functionName, sinkTable,
                alarms.topicArn, tags, parent);
        new LogQueries(prefix, logs.logGroupName, parent);
        var dashboard = new OperationsDashboard(prefix, function.functionName, function.functionArn, sinkTable,
                failures.failureQueueName, settings.alarms().replicationLagMs(), parent);

        // The same environment, network and password as the relay function: it writes the same sink.
        this.backfill = settings.backfill().map(backfillSettings -> new Backfill(prefix, backfillSettings,
                settings.function(), settings.image(), settings.vpc(), new Backfill.Sources(source.tableArn,
                        stream.streamArn, environment, shared.image().imageUri, shared.image().accessPolicy,
                        passwordSecretArn, passwordSecretValue, failures.deadLetterBucketArn,
                        table.failures().deadLetterPrefix()), tags, parent));

        this.tableName = source.tableName;
        this.tableArn = source.tableArn;
        this.streamName = stream.streamName;
        this.streamArn = stream.streamArn;
        this.functionName = function.functionName;
        this.functionArn = function.functionArn;
        this.roleArn = role.roleArn;
        this.logGroupName = logs.logGroupName;
        this.eventSourceMappingUuid = mapping.uuid;
        this.deadLetterPrefix = table.failures().deadLetterPrefix();
        this.alarmTopicArn = alarms.topicArn;
        this.dashboardUrl = dashboard.url;
    }

    /** The table's own outputs by name, the names the single-table stack outputs have always had. */
    Map<String, Output<String>> outputs() {
        var outputs = new LinkedHashMap<String, Output<String>>();
        outputs.put("tableName", tableName);
        outputs.put("tableArn", tableArn);
        outputs.put("streamName", streamName);
        outputs.put("streamArn", streamArn);
        outputs.put("functionName", functionName);
        outputs.put("functionArn", functionArn);
        outputs.put("roleArn", roleArn);
        outputs.put("logGroupName", logGroupName);
        outputs.put("eventSourceMappingUuid", eventSourceMappingUuid);
        outputs.put("dashboardUrl", dashboardUrl);
        backfill.ifPresent(own -> {
            outputs.put("backfillStateMachineArn", own.stateMachineArn);
            outputs.put("backfillBucket", own.bucketName);
            outputs.put("backfillFunctionName", own.functionName);
        });
        return outputs;
    }
}
