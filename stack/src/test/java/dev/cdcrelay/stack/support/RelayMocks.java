package dev.cdcrelay.stack.support;

import com.pulumi.test.Mocks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.cdcrelay.stack.support.FakeAws.*;

/**
 * Pretends to be AWS and Docker for the program. Each resource's state is its inputs plus what the
 * provider would compute (auto-names, ARNs, URLs, digests); anything the program asks for that is
 * not in this catalog fails the run, so a new resource type or invoke cannot slip by untested.
 */
public final class RelayMocks implements Mocks {

    /** One registered (or read) resource with the inputs the program gave it. */
    public record Registration(String type, String name, Map<String, Object> inputs, boolean read) {
    }

    public static final String ECR_TOKEN_INVOKE = "aws:ecr/getAuthorizationToken:getAuthorizationToken";
    public static final String STREAM_LOOKUP_INVOKE = "aws:kinesis/getStream:getStream";
    public static final String KEY_LOOKUP_INVOKE = "aws:kms/getKey:getKey";

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final List<String> invokes = new CopyOnWriteArrayList<>();

    public List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    public List<String> invokes() {
        return List.copyOf(invokes);
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        boolean read = args.id != null && !args.id.isEmpty();
        registrations.add(new Registration(args.type, args.name, args.inputs, read));
        try {
            return CompletableFuture.completedFuture(read ? lookup(args) : create(args));
        } catch (RuntimeException unknown) {
            return CompletableFuture.failedFuture(unknown);
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        invokes.add(args.token);
        if (ECR_TOKEN_INVOKE.equals(args.token)) {
            if (!ACCOUNT.equals(args.args.get("registryId"))) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "token asked for registry " + args.args.get("registryId")));
            }
            return CompletableFuture.completedFuture(Map.of(
                    "authorizationToken", "QVdTOmVjci10b2tlbi1wYXNzd29yZA==",
                    "expiresAt", "2030-01-01T00:00:00Z",
                    "id", REGION,
                    "password", ECR_PASSWORD,
                    "proxyEndpoint", "https://" + REGISTRY,
                    "registryId", ACCOUNT,
                    "userName", "AWS"));
        }
        try {
            return switch (args.token) {
                case STREAM_LOOKUP_INVOKE -> CompletableFuture.completedFuture(describeStream(args.args));
                case KEY_LOOKUP_INVOKE -> CompletableFuture.completedFuture(describeKey(args.args));
                default -> throw new UnsupportedOperationException("unmocked invoke " + args.token);
            };
        } catch (RuntimeException unknown) {
            return CompletableFuture.failedFuture(unknown);
        }
    }

    /** kinesis:DescribeStreamSummary of the two existing streams the mocks know; any other is not found. */
    private static Map<String, Object> describeStream(Map<String, Object> args) {
        var name = String.valueOf(args.get("name"));
        var stream = new HashMap<String, Object>(Map.of(
                "id", arn("kinesis", "stream/" + name),
                "arn", arn("kinesis", "stream/" + name),
                "name", name,
                "status", "ACTIVE",
                "retentionPeriod", 24,
                "creationTimestamp", 1_720_742_302,
                "openShards", List.of("shardId-000000000000"),
                "closedShards", List.of(),
                "shardLevelMetrics", List.of(),
                "streamModeDetails", List.of(Map.of("streamMode", "ON_DEMAND"))));
        stream.put("tags", Map.of());
        switch (name) {
            case EXISTING_STREAM -> {
                stream.put("encryptionType", "KMS");
                stream.put("kmsKeyId", EXISTING_STREAM_KEY_ALIAS);
            }
            case UNENCRYPTED_STREAM -> {
                stream.put("encryptionType", "NONE");
                stream.put("kmsKeyId", "");
            }
            default -> throw new IllegalArgumentException("ResourceNotFoundException: Stream " + name + " under account "
                    + ACCOUNT + " not found.");
        }
        return stream;
    }

    /** kms:DescribeKey, which resolves an alias to its key: the existing stream's key, or the AWS managed one. */
    private static Map<String, Object> describeKey(Map<String, Object> args) {
        var keyId = String.valueOf(args.get("keyId"));
        var customer = keyId.equals(EXISTING_STREAM_KEY_ALIAS) || keyId.equals(EXISTING_STREAM_KEY_ARN);
        if (!customer && !keyId.equals("alias/aws/kinesis")) {
            throw new IllegalArgumentException("NotFoundException: Alias " + keyId + " is not found.");
        }
        var arn = customer ? EXISTING_STREAM_KEY_ARN : arn("kms", "key/aaaabbbb-cccc-dddd-eeee-ffff00001111");
        return Map.of("id", keyId, "arn", arn, "keyId", arn.substring(arn.indexOf("key/") + 4),
                "keyManager", customer ? "CUSTOMER" : "AWS", "keyState", "Enabled", "keyUsage", "ENCRYPT_DECRYPT",
                "enabled", true, "awsAccountId", ACCOUNT);
    }

    private ResourceResult create(ResourceArgs args) {
        var state = new HashMap<String, Object>(args.inputs);
        if (args.type.startsWith("cdcrelay:")) {
            return ResourceResult.of(Optional.empty(), state);
        }
        String id = args.name + "-id";
        switch (args.type) {
            case "aws:ecr/repository:Repository" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("ecr", "repository/" + name));
                state.put("repositoryUrl", REGISTRY + "/" + name);
                state.put("registryId", ACCOUNT);
                id = name;
            }
            case "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/repositoryPolicy:RepositoryPolicy",
                    "aws:iam/rolePolicy:RolePolicy", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                    "aws:s3/bucketPolicy:BucketPolicy" -> {
                // Nothing computed worth having.
            }
            case "docker:index/image:Image" -> {
                var imageName = (String) state.get("imageName");
                state.put("repoDigest", imageName.substring(0, imageName.lastIndexOf(':')) + "@" + DIGEST);
                state.put("baseImageName", imageName);
                id = imageName;
            }
            case "aws:dynamodb/table:Table" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("dynamodb", "table/" + name));
                id = name;
            }
            case "aws:kinesis/stream:Stream" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("kinesis", "stream/" + name));
                id = state.get("arn").toString();
            }
            case "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination" ->
                    id = state.get("tableName") + "," + state.get("streamArn");
            case "aws:s3/bucketV2:BucketV2" -> {
                var name = autoName(state, "bucket", args.name);
                state.put("arn", "arn:aws:s3:::" + name);
                id = name;
            }
            case "aws:sqs/queue:Queue" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("sqs", name));
                state.put("url", "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name);
                id = state.get("url").toString();
            }
            case "aws:cloudwatch/logGroup:LogGroup" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("logs", "log-group:" + name));
                id = name;
            }
            case "aws:iam/role:Role" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/" + name);
                id = name;
            }
            case "aws:lambda/function:Function" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("lambda", "function:" + name));
                id = name;
            }
            case "aws:sfn/stateMachine:StateMachine" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("states", "stateMachine:" + name));
                id = state.get("arn").toString();
            }
            case "aws:lambda/eventSourceMapping:EventSourceMapping" -> {
                id = mappingUuid(args.name);
                state.put("uuid", id);
                state.put("arn", arn("lambda", "event-source-mapping:" + id));
            }
            case "aws:sns/topic:Topic" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("sns", name));
                id = state.get("arn").toString();
            }
            case "aws:sns/topicSubscription:TopicSubscription" ->
                    state.put("arn", state.get("topic") + ":subscription-1");
            case "aws:secretsmanager/secret:Secret" -> {
                var name = autoName(state, "name", args.name);
                // Secrets Manager appends six random characters to the name in the ARN; the ARN is the id.
                state.put("arn", arn("secretsmanager", "secret:" + name + SECRET_ARN_SUFFIX));
                id = state.get("arn").toString();
            }
            case "aws:secretsmanager/secretVersion:SecretVersion" -> {
                state.put("arn", state.get("secretId"));
                state.put("versionId", "version-1");
                state.put("versionStages", List.of("AWSCURRENT"));
                id = state.get("secretId") + "|version-1";
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm" -> {
                var name = autoName(state, "name", args.name);
                state.put("arn", arn("cloudwatch", "alarm:" + name));
                id = name;
            }
            case "aws:cloudwatch/dashboard:Dashboard" -> {
                var name = String.valueOf(state.get("dashboardName"));
                state.put("dashboardArn", "arn:aws:cloudwatch::" + ACCOUNT + ":dashboard/" + name);
                id = name;
            }
            case "aws:cloudwatch/queryDefinition:QueryDefinition" -> {
                id = "query-" + Math.abs(args.name.hashCode());
                state.put("queryDefinitionId", id);
            }
            default -> throw new UnsupportedOperationException("unmocked resource type " + args.type);
        }
        return ResourceResult.of(Optional.of(id), state);
    }

    /** Table.get of an existing table (the demo one, or any named existing-*): what AWS would describe. */
    private ResourceResult lookup(ResourceArgs args) {
        if (!"aws:dynamodb/table:Table".equals(args.type)
                || !(EXISTING_TABLE.equals(args.id) || args.id.startsWith(OTHER_EXISTING_TABLES))) {
            throw new UnsupportedOperationException("unmocked lookup " + args.type + " " + args.id);
        }
        return ResourceResult.of(Optional.of(args.id), Map.of(
                "name", args.id,
                "arn", arn("dynamodb", "table/" + args.id),
                "hashKey", "device",
                "rangeKey", "timestamp",
                "billingMode", "PAY_PER_REQUEST",
                "attributes", List.of(
                        Map.of("name", "timestamp", "type", "S"),
                        Map.of("name", "device", "type", "S"),
                        // Non-key attributes in an index must not confuse the key schema.
                        Map.of("name", "site", "type", "N"))));
    }

    /** The UUID the mocks give an event source mapping of this logical name. */
    public static String mappingUuid(String logicalName) {
        return java.util.UUID.nameUUIDFromBytes(logicalName.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static String autoName(Map<String, Object> state, String property, String logicalName) {
        var name = state.containsKey(property) ? state.get(property).toString() : logicalName + AUTO_NAME_SUFFIX;
        state.put(property, name);
        return name;
    }
}
