package dev.cdcrelay.stack;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.components.Alarms;
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
import dev.cdcrelay.stack.config.NamePrefix;
import dev.cdcrelay.stack.config.RelayStackConfig;
import dev.cdcrelay.write.TableName;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB table -> Kinesis Data Stream -> Lambda (image in ECR) -> CrateDB, as one Pulumi component.
 * The table, the stream and the image can each be existing ones instead of the stack's own.
 * Its {@code name} prefixes every child's name, so relays of different stacks, or several in one
 * program, do not collide.
 */
public final class CdcRelay extends ComponentResource {

    public static final String TYPE = "cdcrelay:index:CdcRelay";

    public final Output<String> tableName;
    public final Output<String> tableArn;
    public final Output<String> streamName;
    public final Output<String> streamArn;
    public final Output<String> functionName;
    public final Output<String> functionArn;
    public final Output<String> roleArn;
    public final Output<String> logGroupName;
    public final Output<String> failureQueueArn;
    public final Output<String> failureQueueUrl;
    public final Output<String> deadLetterBucketName;
    public final Output<String> deadLetterBucketArn;
    public final Output<String> eventSourceMappingUuid;
    /** The stack's own ECR repository; none with a prebuilt image ({@code imageUri}). */
    public final Optional<Output<String>> repositoryUrl;
    /** The pushed image as docker reported it; none with a prebuilt image. */
    public final Optional<Output<String>> repoDigest;
    public final Output<String> imageUri;
    /** {@code sha256:...} of the image the function runs: promote it by setting another stack's imageUri. */
    public final Output<String> imageDigest;
    public final Optional<Output<String>> alarmTopicArn;
    /** The CloudWatch console URL of the relay's dashboard. */
    public final Output<String> dashboardUrl;
    /** The secret the function reads the CrateDB password from; none with passwordDelivery environment. */
    public final Optional<Output<String>> cratedbPasswordSecretArn;

    public CdcRelay(String name, CdcRelayArgs args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public CdcRelay(String name, CdcRelayArgs args, ComponentResourceOptions options) {
        super(TYPE, requireValidName(name), options);
        RelayStackConfig settings = args.settings();
        var tags = args.tags();
        var functionName = name + "-function";

        var image = new FunctionImage(name, settings.image(), args.imageBuild(), functionName, tags, this);
        var table = new SourceTable(name, settings.table(), tags, this);
        var stream = new ChangeStream(name, settings.stream(), table.tableName,
                settings.mapping().maximumRecordAgeSeconds(), tags, this);
        var failures = new FailureHandling(name, settings.failures(), tags, this);
        var logs = new FunctionLogs(name, functionName, settings.function(), tags, this);
        var passwordSecret = settings.sink().password().viaSecretsManager()
                ? Optional.of(new CredentialSecret(name, args.credentials().password(), settings.sink().password(),
                        tags, this))
                : Optional.<CredentialSecret>empty();
        Optional<Output<String>> passwordSecretArn = passwordSecret.map(secret -> secret.secretArn);
        var role = new FunctionRole(name, new FunctionRole.Grants(stream.streamArn, logs.logGroupArn,
                failures.failureQueueArn, failures.deadLetterBucketArn, settings.failures().deadLetterPrefix(),
                stream.customerManagedKeyArn, passwordSecretArn, settings.vpc().isPresent()), tags,
                this);
        var function = new RelayFunction(name, settings.function(), settings.image(), settings.vpc(),
                new RelayFunction.Parts(functionName, image.imageUri, role.roleArn,
                        RelayFunction.environment(args.credentials(), passwordSecretArn, table.keySchema,
                                failures.deadLetterBucketName, settings.sink(), settings.failures()),
                        logs.logGroup, role.permissions, image.accessPolicy,
                        passwordSecret.map(secret -> (Resource) secret.value)),
                tags, this);
        var mapping = new StreamMapping(name, settings.mapping(), stream.streamArn, function.functionArn,
                failures.failureQueueArn, role.permissions, tags, this);
        var alarms = new Alarms(name, settings.alarms(), function.functionName, failures.failureQueueName,
                tags, this);
        var sinkTable = TableName.parse(settings.sink().cratedbTable()).toString(); // as the function names it
        new FreshnessAlarm(name, settings.alarms().replicationLagMs(), function.functionName, sinkTable,
                alarms.topicArn, tags, this);
        new LogQueries(name, logs.logGroupName, this);
        var dashboard = new OperationsDashboard(name, function.functionName, function.functionArn, sinkTable,
                failures.failureQueueName, settings.alarms().replicationLagMs(), this);

        this.tableName = table.tableName;
        this.tableArn = table.tableArn;
        this.streamName = stream.streamName;
        this.streamArn = stream.streamArn;
        this.functionName = function.functionName;
        this.functionArn = function.functionArn;
        this.roleArn = role.roleArn;
        this.logGroupName = logs.logGroupName;
        this.failureQueueArn = failures.failureQueueArn;
        this.failureQueueUrl = failures.failureQueueUrl;
        this.deadLetterBucketName = failures.deadLetterBucketName;
        this.deadLetterBucketArn = failures.deadLetterBucketArn;
        this.eventSourceMappingUuid = mapping.uuid;
        this.repositoryUrl = image.repositoryUrl;
        this.repoDigest = image.repoDigest;
        this.imageUri = image.imageUri;
        this.imageDigest = image.imageDigest;
        this.alarmTopicArn = alarms.topicArn;
        this.dashboardUrl = dashboard.url;
        this.cratedbPasswordSecretArn = passwordSecretArn;
        registerOutputs(Map.copyOf(outputs()));
    }

    /** Every output by its stack-output name; App exports exactly these. */
    public Map<String, Output<String>> outputs() {
        var outputs = new LinkedHashMap<String, Output<String>>();
        outputs.put("tableName", tableName);
        outputs.put("tableArn", tableArn);
        outputs.put("streamName", streamName);
        outputs.put("streamArn", streamArn);
        outputs.put("functionName", functionName);
        outputs.put("functionArn", functionArn);
        outputs.put("roleArn", roleArn);
        outputs.put("logGroupName", logGroupName);
        outputs.put("failureQueueArn", failureQueueArn);
        outputs.put("failureQueueUrl", failureQueueUrl);
        outputs.put("deadLetterBucketName", deadLetterBucketName);
        outputs.put("deadLetterBucketArn", deadLetterBucketArn);
        outputs.put("eventSourceMappingUuid", eventSourceMappingUuid);
        repositoryUrl.ifPresent(url -> outputs.put("repositoryUrl", url));
        repoDigest.ifPresent(digest -> outputs.put("repoDigest", digest));
        outputs.put("imageUri", imageUri);
        outputs.put("imageDigest", imageDigest);
        alarmTopicArn.ifPresent(arn -> outputs.put("alarmTopicArn", arn));
        outputs.put("dashboardUrl", dashboardUrl);
        cratedbPasswordSecretArn.ifPresent(arn -> outputs.put("cratedbPasswordSecretArn", arn));
        return outputs;
    }

    private static String requireValidName(String name) {
        var problem = NamePrefix.problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("CdcRelay name " + problem);
        }
        return name;
    }
}
