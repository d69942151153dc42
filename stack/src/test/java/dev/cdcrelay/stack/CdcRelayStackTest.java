package dev.cdcrelay.stack;

import com.pulumi.test.PulumiTest;
import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.stack.policy.FunctionPolicies;
import dev.cdcrelay.stack.policy.RepositoryPolicies;
import dev.cdcrelay.stack.support.RelayMocks;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cdcrelay.stack.support.FakeAws.*;
import static dev.cdcrelay.stack.support.Policies.parse;
import static dev.cdcrelay.stack.support.Policies.statement;
import static dev.cdcrelay.stack.support.Policies.statements;
import static dev.cdcrelay.stack.support.Policies.strings;
import static dev.cdcrelay.stack.support.StackRun.PREFIX;
import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Runs the real program ({@link App#stack}) against Pulumi's mocks and checks what it declares. */
class CdcRelayStackTest {

    static final String REPOSITORY = "aws:ecr/repository:Repository";
    static final String LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
    static final String REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
    static final String IMAGE = "docker:index/image:Image";
    static final String TABLE = "aws:dynamodb/table:Table";
    static final String STREAM = "aws:kinesis/stream:Stream";
    static final String DESTINATION = "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination";
    static final String BUCKET = "aws:s3/bucketV2:BucketV2";
    static final String PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    static final String BUCKET_ENCRYPTION =
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
    static final String BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
    static final String BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
    static final String BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
    static final String QUEUE = "aws:sqs/queue:Queue";
    static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String FUNCTION = "aws:lambda/function:Function";
    static final String MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String TOPIC = "aws:sns/topic:Topic";
    static final String SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
    static final String SECRET = "aws:secretsmanager/secret:Secret";
    static final String SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

    // What the mocks name things: Pulumi's auto-name is the logical name plus a random suffix.
    static final String FUNCTION_NAME = PREFIX + "-function";
    static final String REPOSITORY_NAME = PREFIX + "-function-image" + AUTO_NAME_SUFFIX;
    static final String REPOSITORY_URL = REGISTRY + "/" + REPOSITORY_NAME;
    static final String TABLE_NAME = PREFIX + "-source" + AUTO_NAME_SUFFIX;
    static final String STREAM_ARN = arn("kinesis", "stream/" + PREFIX + "-changes" + AUTO_NAME_SUFFIX);
    static final String BUCKET_NAME = PREFIX + "-dead-letters" + AUTO_NAME_SUFFIX;
    static final String QUEUE_NAME = PREFIX + "-failed-batches" + AUTO_NAME_SUFFIX;
    static final String QUEUE_ARN = arn("sqs", QUEUE_NAME);
    static final String LOG_GROUP_NAME = "/aws/lambda/" + FUNCTION_NAME;
    static final String LOG_GROUP_ARN = arn("logs", "log-group:" + LOG_GROUP_NAME);
    static final String FUNCTION_ARN = arn("lambda", "function:" + FUNCTION_NAME);
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + PREFIX + "-function" + AUTO_NAME_SUFFIX;
    static final String SECRET_NAME = PREFIX + "-cratedb-password" + AUTO_NAME_SUFFIX;
    static final String SECRET_ARN = arn("secretsmanager", "secret:" + SECRET_NAME + SECRET_ARN_SUFFIX);

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class NewTableWithEmailAlarms {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "alarmEmail", "oncall@example.com",
                    "attributeTypes", "temperature:DOUBLE,humidity:DOUBLE"), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
            assertEquals(List.of(), run.result().errors());
        }

        @Test
        void repositoryKeepsTheNewestImagesAndIsDestroyable() {
            var repository = run.inputs(REPOSITORY, PREFIX + "-function-image");
            assertEquals(true, repository.get("forceDelete"));
            assertEquals(Map.of("scanOnPush", true), repository.get("imageScanningConfiguration"));

            var lifecycle = run.inputs(LIFECYCLE_POLICY, PREFIX + "-function-image-lifecycle");
            assertEquals(REPOSITORY_NAME, lifecycle.get("repository"));
            @SuppressWarnings("unchecked")
            var rule = ((List<Map<String, Object>>) parse(lifecycle.get("policy")).get("rules")).get(0);
            assertEquals(Map.of("tagStatus", "any", "countType", "imageCountMoreThan", "countNumber", 10.0),
                    rule.get("selection"));
            assertEquals(Map.of("type", "expire"), rule.get("action"));
        }

        @Test
        void repositoryPolicyAllowsPublicPullAndTheFunction() {
            var access = run.inputs(REPOSITORY_POLICY, PREFIX + "-function-image-access");
            assertEquals(REPOSITORY_NAME, access.get("repository"));
            var policy = access.get("policy");
            assertEquals(2, statements(policy).size());

            var publicPull = statement(policy, "PublicPull").orElseThrow();
            assertEquals("Allow", publicPull.get("Effect"));
            assertEquals("*", publicPull.get("Principal"));
            assertEquals(List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                    strings(publicPull.get("Action")));

            var lambdaPull = statement(policy, "LambdaECRImageRetrievalPolicy").orElseThrow();
            assertEquals(Map.of("Service", "lambda.amazonaws.com"), lambdaPull.get("Principal"));
            assertEquals(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"), strings(lambdaPull.get("Action")));
            // The backfill function runs the same image.
            assertEquals(Map.of("StringLike", Map.of("aws:sourceArn", List.of(FUNCTION_ARN,
                    arn("lambda", "function:" + PREFIX + "-backfill")))), lambdaPull.get("Condition"));
        }

        @Test
        void imageIsBuiltForOnePlatformFromTheRepositoryRootAndPushedWithAFreshToken() {
            var image = run.inputs(IMAGE, PREFIX + "-function-image");
            assertEquals(REPOSITORY_URL + ":latest", image.get("imageName"));
            assertEquals(Map.of("context", "..", "dockerfile", "../function/Dockerfile", "platform", "linux/amd64",
                    "builderVersion", "BuilderBuildKit"), image.get("build"));
            assertEquals(Map.of("server", REGISTRY, "username", "AWS", "password", ECR_PASSWORD), image.get("registry"));
            assertTrue(run.isSecretInput(IMAGE, PREFIX + "-function-image", "registry.password"),
                    "the registry password must be a secret");
            assertTrue(run.mocks().invokes().contains(RelayMocks.ECR_TOKEN_INVOKE));
        }

        @Test
        void tableHasTheConfiguredKeysBillingAndRecovery() {
            var table = run.inputs(TABLE, PREFIX + "-source");
            assertEquals("device", table.get("hashKey"));
            assertEquals("timestamp", table.get("rangeKey"));
            assertEquals(List.of(Map.of("name", "device", "type", "S"), Map.of("name", "timestamp", "type", "S")),
                    table.get("attributes"));
            assertEquals("PAY_PER_REQUEST", table.get("billingMode"));
            assertFalse(table.containsKey("readCapacity"));
            assertFalse(table.containsKey("writeCapacity"));
            assertEquals(Map.of("enabled", true), table.get("pointInTimeRecovery"));
            assertEquals(false, table.get("deletionProtectionEnabled"));
        }

        @Test
        void streamIsOnDemandKmsEncryptedAndFedWithMicrosecondTimestamps() {
            var stream = run.inputs(STREAM, PREFIX + "-changes");
            assertEquals(Map.of("streamMode", "ON_DEMAND"), stream.get("streamModeDetails"));
            assertFalse(stream.containsKey("shardCount"));
            assertEquals(24.0, stream.get("retentionPeriod"));
            assertEquals("KMS", stream.get("encryptionType"));
            assertEquals("alias/aws/kinesis", stream.get("kmsKeyId"));

            var destination = run.inputs(DESTINATION, PREFIX + "-changes-destination");
            assertEquals(Map.of("tableName", TABLE_NAME, "streamArn", STREAM_ARN,
                    "approximateCreationDateTimePrecision", "MICROSECOND"), destination);
        }

        @Test
        void deadLetterBucketIsPrivateEncryptedExpiringAndTlsOnly() {
            var bucket = run.inputs(BUCKET, PREFIX + "-dead-letters");
            assertEquals(false, bucket.get("forceDestroy"));
            assertEquals(Map.of("bucket", BUCKET_NAME, "blockPublicAcls", true, "blockPublicPolicy", true,
                    "ignorePublicAcls", true, "restrictPublicBuckets", true),
                    run.inputs(PUBLIC_ACCESS_BLOCK, PREFIX + "-dead-letters-private"));
            assertEquals(List.of(Map.of("applyServerSideEncryptionByDefault", Map.of("sseAlgorithm", "AES256"))),
                    run.inputs(BUCKET_ENCRYPTION, PREFIX + "-dead-letters-encryption").get("rules"));
            assertEquals(Map.of("objectOwnership", "BucketOwnerEnforced"),
                    run.inputs(BUCKET_OWNERSHIP, PREFIX + "-dead-letters-ownership").get("rule"));
            assertEquals(List.of(Map.of("id", "expire-dead-letters", "status", "Enabled",
                            "filter", Map.of("prefix", "dead-letter/"), "expiration", Map.of("days", 30.0))),
                    run.inputs(BUCKET_LIFECYCLE, PREFIX + "-dead-letters-expiry").get("rules"));

            var tlsOnly = statement(run.inputs(BUCKET_POLICY, PREFIX + "-dead-letters-tls-only").get("policy"),
                    "DenyInsecureTransport").orElseThrow();
            assertEquals("Deny", tlsOnly.get("Effect"));
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), tlsOnly.get("Condition"));
        }

        @Test
        void failureQueueIsEncryptedAndKeepsMetadataForTwoWeeks() {
            var queue = run.inputs(QUEUE, PREFIX + "-failed-batches");
            assertEquals(true, queue.get("sqsManagedSseEnabled"));
            assertEquals(1_209_600.0, queue.get("messageRetentionSeconds"));
        }

        @Test
        void roleGrantsExactlyTheRelaysActionsOnItsOwnResources() {
            var role = run.inputs(ROLE, PREFIX + "-function");
            assertFalse(role.containsKey("managedPolicyArns"), "no managed policies");
            var trust = statements(role.get("assumeRolePolicy"));
            assertEquals(1, trust.size());
            assertEquals(Map.of("Service", "lambda.amazonaws.com"), trust.get(0).get("Principal"));
            assertEquals(List.of("sts:AssumeRole"), strings(trust.get(0).get("Action")));

            var inline = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions");
            assertEquals(PREFIX + "-function" + AUTO_NAME_SUFFIX, inline.get("role"));
            var policy = inline.get("policy");
            var grants = new LinkedHashMap<String, List<String>>();
            for (var statement : statements(policy)) {
                assertEquals("Allow", statement.get("Effect"));
                grants.put(statement.get("Sid").toString(), strings(statement.get("Resource")));
                strings(statement.get("Resource")).forEach(resource ->
                        assertNotEquals("*", resource, statement.get("Sid") + " has a wildcard resource"));
            }
            assertEquals(Map.of(
                    "ReadChangeStream", List.of(STREAM_ARN),
                    "WriteOwnLogs", List.of(LOG_GROUP_ARN, LOG_GROUP_ARN + ":*"),
                    "ReportFailedBatches", List.of(QUEUE_ARN),
                    "WriteDeadLetters", List.of("arn:aws:s3:::" + BUCKET_NAME + "/dead-letter/*"),
                    "ReadCrateDbPassword", List.of(SECRET_ARN)), grants);
            assertEquals(List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                            "kinesis:GetShardIterator", "kinesis:ListShards"),
                    strings(statement(policy, "ReadChangeStream").orElseThrow().get("Action")),
                    "no kinesis:SubscribeToShard: the mapping is no enhanced fan-out consumer");
            assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                    strings(statement(policy, "WriteOwnLogs").orElseThrow().get("Action")));
            assertEquals(List.of("sqs:SendMessage"),
                    strings(statement(policy, "ReportFailedBatches").orElseThrow().get("Action")));
            assertEquals(List.of("s3:PutObject"),
                    strings(statement(policy, "WriteDeadLetters").orElseThrow().get("Action")));
            assertEquals(List.of("secretsmanager:GetSecretValue"),
                    strings(statement(policy, "ReadCrateDbPassword").orElseThrow().get("Action")));
            assertFalse(policy.toString().contains("kms:"), "the AWS managed stream key needs no grant");
            assertTrue(statement(policy, "ManageVpcNetworkInterfaces").isEmpty(), "not in a VPC by default");
            assertFalse(policy.toString().contains("ec2:"), "not in a VPC by default");
        }

        @Test
        void functionRunsThePushedImageByDigest() {
            var function = run.inputs(FUNCTION, PREFIX + "-function");
            assertEquals(FUNCTION_NAME, function.get("name"));
            assertEquals("Image", function.get("packageType"));
            assertEquals(REPOSITORY_URL + "@" + DIGEST, function.get("imageUri"));
            assertEquals(List.of("x86_64"), function.get("architectures"));
            assertEquals(1024.0, function.get("memorySize"));
            assertEquals(60.0, function.get("timeout"));
            assertFalse(function.containsKey("reservedConcurrentExecutions"));
            assertEquals(ROLE_ARN, function.get("role"));
            assertFalse(function.containsKey("vpcConfig"), "Lambda's own network by default");
        }

        @Test
        void functionEnvironmentCarriesTheSecretArnInsteadOfThePassword() {
            var function = run.inputs(FUNCTION, PREFIX + "-function");
            assertEquals(Map.of("variables", Map.of(
                    EnvVar.CRATEDB_JDBC_URL.name(), JDBC_URL,
                    EnvVar.CRATEDB_USER.name(), USER,
                    EnvVar.CRATEDB_PASSWORD_SECRET_ARN.name(), SECRET_ARN,
                    EnvVar.CRATEDB_TABLE.name(), "doc.readings",
                    EnvVar.RELAY_KEY_SCHEMA.name(), "device:S,timestamp:S",
                    EnvVar.RELAY_TTL_DELETES.name(), "delete",
                    EnvVar.RELAY_SINK_CONNECTIONS.name(), "2",
                    EnvVar.RELAY_ATTRIBUTE_TYPES.name(), "temperature:DOUBLE,humidity:DOUBLE",
                    EnvVar.RELAY_DEAD_LETTER_BUCKET.name(), BUCKET_NAME,
                    EnvVar.RELAY_DEAD_LETTER_PREFIX.name(), "dead-letter/")), function.get("environment"));
            assertFalse(function.toString().contains(PASSWORD), "the password must not be in the function's inputs");
            for (var variable : List.of(EnvVar.CRATEDB_JDBC_URL.name(), EnvVar.CRATEDB_USER.name())) {
                assertTrue(run.isSecretInput(FUNCTION, PREFIX + "-function", "environment.variables." + variable),
                        variable + " must reach the function as a secret");
            }
        }

        @Test
        void passwordIsStoredInItsOwnSecretAsAPulumiSecret() {
            var secret = run.inputs(SECRET, PREFIX + "-cratedb-password");
            assertFalse(secret.containsKey("name"), "auto-named, so a re-created stack never waits for a deleted name");
            assertEquals(7.0, secret.get("recoveryWindowInDays"));
            assertTrue(secret.get("description").toString().contains(FUNCTION_NAME));
            assertEquals("dev", ((Map<?, ?>) secret.get("tags")).get("stack"));
            assertFalse(secret.toString().contains(PASSWORD));

            var version = run.inputs(SECRET_VERSION, PREFIX + "-cratedb-password");
            assertEquals(SECRET_ARN, version.get("secretId"));
            assertEquals(PASSWORD, version.get("secretString"));
            assertFalse(version.containsKey("secretBinary"));
            assertTrue(run.isSecretInput(SECRET_VERSION, PREFIX + "-cratedb-password", "secretString"),
                    "the password must reach Secrets Manager as a Pulumi secret");
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", SECRET_VERSION, PREFIX + "-cratedb-password"),
                    "the function reads the password at start-up, so the secret must hold it first");
        }

        @Test
        void functionWaitsForItsLogGroupPermissionsAndPullPolicy() {
            var logGroup = run.inputs(LOG_GROUP, PREFIX + "-function-logs");
            assertEquals(LOG_GROUP_NAME, logGroup.get("name"));
            assertEquals(30.0, logGroup.get("retentionInDays"));
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", LOG_GROUP, PREFIX + "-function-logs"));
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", ROLE_POLICY, PREFIX + "-function-permissions"));
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", REPOSITORY_POLICY,
                    PREFIX + "-function-image-access"));
        }

        @Test
        void mappingRetriesBoundedlyAndReportsFailuresToTheQueue() {
            var mapping = run.inputs(MAPPING, PREFIX + "-changes-to-function");
            assertEquals(STREAM_ARN, mapping.get("eventSourceArn"));
            assertEquals(FUNCTION_ARN, mapping.get("functionName"));
            assertEquals("TRIM_HORIZON", mapping.get("startingPosition"));
            assertFalse(mapping.containsKey("startingPositionTimestamp"));
            assertEquals(1000.0, mapping.get("batchSize"));
            assertEquals(1.0, mapping.get("maximumBatchingWindowInSeconds"));
            assertEquals(1.0, mapping.get("parallelizationFactor"));
            assertEquals(List.of("ReportBatchItemFailures"), mapping.get("functionResponseTypes"));
            assertEquals(true, mapping.get("bisectBatchOnFunctionError"));
            assertEquals(10.0, mapping.get("maximumRetryAttempts"));
            assertEquals(86_400.0, mapping.get("maximumRecordAgeInSeconds"));
            assertEquals(Map.of("onFailure", Map.of("destinationArn", QUEUE_ARN)), mapping.get("destinationConfig"));
            assertTrue(run.dependsOn(MAPPING, PREFIX + "-changes-to-function", ROLE_POLICY,
                    PREFIX + "-function-permissions"), "Lambda checks the role's permissions when the mapping is created");
            assertTrue(run.deletesBeforeReplacing(MAPPING, PREFIX + "-changes-to-function"),
                    "a new starting position replaces the mapping, and Lambda allows one per stream and function");
        }

        @Test
        void alarmsWatchIteratorAgeErrorsAndTheFailureQueueAndMailTheTopic() {
            var topicArn = arn("sns", PREFIX + "-alarms" + AUTO_NAME_SUFFIX);
            assertEquals(Map.of("topic", topicArn, "protocol", "email", "endpoint", "oncall@example.com"),
                    run.inputs(SUBSCRIPTION, PREFIX + "-alarms-email"));

            var iteratorAge = run.inputs(ALARM, PREFIX + "-iterator-age");
            assertEquals("AWS/Lambda", iteratorAge.get("namespace"));
            assertEquals("IteratorAge", iteratorAge.get("metricName"));
            assertEquals("Maximum", iteratorAge.get("statistic"));
            assertEquals(Map.of("FunctionName", FUNCTION_NAME), iteratorAge.get("dimensions"));
            assertEquals(300_000.0, iteratorAge.get("threshold"));

            var errors = run.inputs(ALARM, PREFIX + "-function-errors");
            assertEquals("Errors", errors.get("metricName"));
            assertEquals(Map.of("FunctionName", FUNCTION_NAME), errors.get("dimensions"));

            var failedBatches = run.inputs(ALARM, PREFIX + "-failed-batches");
            assertEquals("AWS/SQS", failedBatches.get("namespace"));
            assertEquals("ApproximateNumberOfMessagesVisible", failedBatches.get("metricName"));
            assertEquals(Map.of("QueueName", QUEUE_NAME), failedBatches.get("dimensions"));

            for (var alarm : List.of(iteratorAge, errors, failedBatches)) {
                assertEquals(List.of(topicArn), alarm.get("alarmActions"));
                assertEquals(List.of(topicArn), alarm.get("okActions"));
            }
        }

        @Test
        void outputsNameEveryPieceAndCarryNoCredential() {
            var expected = new LinkedHashMap<String, Object>();
            expected.put("tableName", TABLE_NAME);
            expected.put("tableArn", arn("dynamodb", "table/" + TABLE_NAME));
            expected.put("streamName", PREFIX + "-changes" + AUTO_NAME_SUFFIX);
            expected.put("streamArn", STREAM_ARN);
            expected.put("functionName", FUNCTION_NAME);
            expected.put("functionArn", FUNCTION_ARN);
            expected.put("roleArn", ROLE_ARN);
            expected.put("logGroupName", LOG_GROUP_NAME);
            expected.put("failureQueueArn", QUEUE_ARN);
            expected.put("failureQueueUrl", "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + QUEUE_NAME);
            expected.put("deadLetterBucketName", BUCKET_NAME);
            expected.put("deadLetterBucketArn", "arn:aws:s3:::" + BUCKET_NAME);
            expected.put("eventSourceMappingUuid", RelayMocks.mappingUuid(PREFIX + "-changes-to-function"));
            expected.put("repositoryUrl", REPOSITORY_URL);
            expected.put("repoDigest", REPOSITORY_URL + "@" + DIGEST);
            expected.put("imageUri", REPOSITORY_URL + "@" + DIGEST);
            expected.put("imageDigest", DIGEST);
            expected.put("alarmTopicArn", arn("sns", PREFIX + "-alarms" + AUTO_NAME_SUFFIX));
            expected.put("dashboardUrl", "https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region="
                    + REGION + "#dashboards:name=" + PREFIX + "-relay");
            expected.put("cratedbPasswordSecretArn", SECRET_ARN);
            expected.put("backfillStateMachineArn", arn("states", "stateMachine:" + PREFIX + "-backfill"));
            expected.put("backfillBucket", PREFIX + "-bf-data" + AUTO_NAME_SUFFIX);
            expected.put("backfillFunctionName", PREFIX + "-backfill");
            assertEquals(expected.keySet(), run.result().outputs().keySet());
            expected.forEach((name, value) -> assertEquals(value, run.output(name), name));

            for (var name : expected.keySet()) {
                var value = String.valueOf(run.output(name));
                for (var credential : List.of(PASSWORD, USER, JDBC_URL)) {
                    assertFalse(value.contains(credential), name + " leaks a credential");
                }
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExistingTableOnArmWithOwnKeyAndTopic {

        static final String KEY_ARN = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        static final String TOPIC_ARN = "arn:aws:sns:eu-central-1:123456789012:platform-alarms";

        StackRun run;

        @BeforeAll
        void deploy() {
            var config = with(NEW_TABLE, "tableHashKey", null, "tableRangeKey", null,
                    "existingTableName", EXISTING_TABLE,
                    "architecture", "arm64",
                    "ecrPublicPull", "false",
                    "streamMode", "PROVISIONED", "streamShardCount", "2", "streamRetentionHours", "48",
                    "streamKmsKey", KEY_ARN,
                    "alarmTopicArn", TOPIC_ARN,
                    "ttlDeletes", "keep",
                    "deadLetterPrefix", "poison/",
                    "passwordDelivery", "secretsmanager", "passwordSecretRecoveryDays", "0");
            run = StackRun.run(config, SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void existingTableIsOnlyReadNeverDeclared() {
            var tables = run.registrations().stream().filter(r -> r.type().equals(TABLE)).toList();
            assertEquals(1, tables.size());
            assertTrue(tables.get(0).read(), "the existing table must be looked up, not managed");
            assertEquals(PREFIX + "-existing-source", tables.get(0).name());
            assertEquals(arn("dynamodb", "table/" + EXISTING_TABLE), run.output("tableArn"));
            assertEquals(EXISTING_TABLE, run.output("tableName"));
        }

        @Test
        void streamingDestinationIsAddedToTheExistingTable() {
            var destination = run.inputs(DESTINATION, PREFIX + "-changes-destination");
            assertEquals(EXISTING_TABLE, destination.get("tableName"));
            assertEquals("MICROSECOND", destination.get("approximateCreationDateTimePrecision"));
        }

        @Test
        void keySchemaComesFromTheLookup() {
            @SuppressWarnings("unchecked")
            var variables = (Map<String, Object>) ((Map<String, Object>) run.inputs(FUNCTION, PREFIX + "-function")
                    .get("environment")).get("variables");
            assertEquals("device:S,timestamp:S", variables.get(EnvVar.RELAY_KEY_SCHEMA.name()));
            assertEquals("keep", variables.get(EnvVar.RELAY_TTL_DELETES.name()));
            assertEquals("poison/", variables.get(EnvVar.RELAY_DEAD_LETTER_PREFIX.name()));
            assertFalse(variables.containsKey(EnvVar.RELAY_ATTRIBUTE_TYPES.name()), "unset attributeTypes is left out");
        }

        @Test
        void imageAndFunctionAreArm64() {
            assertEquals("linux/arm64", ((Map<?, ?>) run.inputs(IMAGE, PREFIX + "-function-image").get("build"))
                    .get("platform"));
            assertEquals(List.of("arm64"), run.inputs(FUNCTION, PREFIX + "-function").get("architectures"));
        }

        @Test
        void repositoryPolicyWithoutPublicPullStillLetsLambdaPull() {
            var policy = run.inputs(REPOSITORY_POLICY, PREFIX + "-function-image-access").get("policy");
            assertEquals(List.of("LambdaECRImageRetrievalPolicy"),
                    statements(policy).stream().map(s -> s.get("Sid")).toList());
            assertFalse(policy.toString().contains("\"Principal\":\"*\""));
        }

        @Test
        void provisionedStreamWithCustomerKeyAndItsDecryptGrant() {
            var stream = run.inputs(STREAM, PREFIX + "-changes");
            assertEquals(Map.of("streamMode", "PROVISIONED"), stream.get("streamModeDetails"));
            assertEquals(2.0, stream.get("shardCount"));
            assertEquals(48.0, stream.get("retentionPeriod"));
            assertEquals(KEY_ARN, stream.get("kmsKeyId"));

            var policy = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            var decrypt = statement(policy, "DecryptChangeStream").orElseThrow();
            assertEquals("Allow", decrypt.get("Effect"));
            assertEquals(List.of("kms:Decrypt"), strings(decrypt.get("Action")));
            assertEquals(List.of(KEY_ARN), strings(decrypt.get("Resource")));
            assertEquals(Map.of("StringEquals", Map.of("kms:EncryptionContext:aws:kinesis:arn", STREAM_ARN)),
                    decrypt.get("Condition"), "decrypting only this stream's records");
            assertEquals(List.of("arn:aws:s3:::" + BUCKET_NAME + "/poison/*"),
                    strings(statement(policy, "WriteDeadLetters").orElseThrow().get("Resource")));
        }

        @Test
        void alarmsNotifyTheExistingTopicWithoutCreatingOne() {
            assertEquals(List.of(), run.names(TOPIC));
            assertEquals(List.of(), run.names(SUBSCRIPTION));
            assertEquals(4, run.names(ALARM).size(), "iterator age, errors, failure queue, replication lag");
            for (var alarm : run.names(ALARM)) {
                assertEquals(List.of(TOPIC_ARN), run.inputs(ALARM, alarm).get("alarmActions"));
            }
            assertEquals(TOPIC_ARN, run.output("alarmTopicArn"));
        }

        @Test
        void credentialsStaySecretHereToo() {
            assertTrue(run.isSecretInput(SECRET_VERSION, PREFIX + "-cratedb-password", "secretString"));
            assertTrue(run.isSecretInput(FUNCTION, PREFIX + "-function", "environment.variables.CRATEDB_USER"));
            assertEquals(0.0, run.inputs(SECRET, PREFIX + "-cratedb-password").get("recoveryWindowInDays"),
                    "passwordSecretRecoveryDays 0 deletes the secret at once");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ProvisionedTableFromATimestampWithoutAlarmTargets {

        StackRun run;

        @BeforeAll
        void deploy() {
            var config = with(NEW_TABLE, "tableRangeKey", null, "tableHashKeyType", "N",
                    "tableBillingMode", "PROVISIONED", "tableReadCapacity", "5", "tableWriteCapacity", "7",
                    "tablePointInTimeRecovery", "false",
                    "startingPosition", "AT_TIMESTAMP", "startingPositionTimestamp", "2024-07-12T01:17:42Z",
                    "batchSize", "500", "maximumBatchingWindowSeconds", "0", "parallelizationFactor", "4",
                    "maximumRetryAttempts", "3", "maximumRecordAgeSeconds", "3600",
                    "functionMemoryMb", "2048", "functionTimeoutSeconds", "120", "functionReservedConcurrency", "8",
                    "logRetentionDays", "7", "ecrKeepImages", "3", "namePrefix", "relay-blue");
            run = StackRun.run(config, SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void configuredPrefixNamesEverything() {
            assertEquals("relay-blue-function", run.output("functionName"));
            assertEquals("/aws/lambda/relay-blue-function", run.output("logGroupName"));
            assertTrue(run.registrations().stream().allMatch(r -> r.name().startsWith("relay-blue")),
                    "every logical name starts with the prefix");
        }

        @Test
        void provisionedTableHasItsCapacities() {
            var table = run.inputs(TABLE, "relay-blue-source");
            assertEquals("PROVISIONED", table.get("billingMode"));
            assertEquals(5.0, table.get("readCapacity"));
            assertEquals(7.0, table.get("writeCapacity"));
            assertFalse(table.containsKey("rangeKey"));
            assertEquals(List.of(Map.of("name", "device", "type", "N")), table.get("attributes"));
            assertEquals(Map.of("enabled", false), table.get("pointInTimeRecovery"));
            @SuppressWarnings("unchecked")
            var variables = (Map<String, Object>) ((Map<String, Object>) run.inputs(FUNCTION, "relay-blue-function")
                    .get("environment")).get("variables");
            assertEquals("device:N", variables.get(EnvVar.RELAY_KEY_SCHEMA.name()));
        }

        @Test
        void mappingTakesEveryTunedSetting() {
            var mapping = run.inputs(MAPPING, "relay-blue-changes-to-function");
            assertEquals("AT_TIMESTAMP", mapping.get("startingPosition"));
            assertEquals("2024-07-12T01:17:42Z", mapping.get("startingPositionTimestamp"));
            assertEquals(500.0, mapping.get("batchSize"));
            assertEquals(0.0, mapping.get("maximumBatchingWindowInSeconds"));
            assertEquals(4.0, mapping.get("parallelizationFactor"));
            assertEquals(3.0, mapping.get("maximumRetryAttempts"));
            assertEquals(3600.0, mapping.get("maximumRecordAgeInSeconds"));
        }

        @Test
        void functionSizeConcurrencyAndLogRetention() {
            var function = run.inputs(FUNCTION, "relay-blue-function");
            assertEquals(2048.0, function.get("memorySize"));
            assertEquals(120.0, function.get("timeout"));
            assertEquals(8.0, function.get("reservedConcurrentExecutions"));
            assertEquals(7.0, run.inputs(LOG_GROUP, "relay-blue-function-logs").get("retentionInDays"));
            assertTrue(run.inputs(LIFECYCLE_POLICY, "relay-blue-function-image-lifecycle").get("policy").toString()
                    .contains("\"countNumber\":3"));
        }

        @Test
        void alarmsExistWithoutActions() {
            assertEquals(List.of(), run.names(TOPIC));
            for (var alarm : run.names(ALARM)) {
                assertEquals(List.of(), run.inputs(ALARM, alarm).get("alarmActions"));
            }
            assertFalse(run.result().outputs().containsKey("alarmTopicArn"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PasswordInTheEnvironment {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "passwordDelivery", "environment"), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void functionGetsThePasswordItselfAsASecret() {
            @SuppressWarnings("unchecked")
            var variables = (Map<String, Object>) ((Map<String, Object>) run.inputs(FUNCTION, PREFIX + "-function")
                    .get("environment")).get("variables");
            assertEquals(PASSWORD, variables.get(EnvVar.CRATEDB_PASSWORD.name()));
            assertFalse(variables.containsKey(EnvVar.CRATEDB_PASSWORD_SECRET_ARN.name()));
            for (var variable : List.of(EnvVar.CRATEDB_JDBC_URL.name(), EnvVar.CRATEDB_USER.name(), EnvVar.CRATEDB_PASSWORD.name())) {
                assertTrue(run.isSecretInput(FUNCTION, PREFIX + "-function", "environment.variables." + variable),
                        variable + " must reach the function as a secret");
            }
        }

        @Test
        void noSecretNoGrantNoOutput() {
            assertEquals(List.of(), run.names(SECRET));
            assertEquals(List.of(), run.names(SECRET_VERSION));
            var policy = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            assertTrue(statement(policy, "ReadCrateDbPassword").isEmpty());
            assertFalse(policy.toString().contains("secretsmanager:"));
            assertFalse(run.result().outputs().containsKey("cratedbPasswordSecretArn"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InAVpc {

        static final List<String> SUBNETS = List.of("subnet-0a1b2c3d", "subnet-0123456789abcdef0");
        static final List<String> SECURITY_GROUPS = List.of("sg-0123456789abcdef0");

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "vpcSubnetIds", String.join(",", SUBNETS),
                    "vpcSecurityGroupIds", String.join(",", SECURITY_GROUPS)), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void functionIsPlacedInTheSubnetsWithTheSecurityGroups() {
            var function = run.inputs(FUNCTION, PREFIX + "-function");
            assertEquals(Map.of("subnetIds", SUBNETS, "securityGroupIds", SECURITY_GROUPS),
                    function.get("vpcConfig"));
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", ROLE_POLICY, PREFIX + "-function-permissions"),
                    "Lambda checks the interface permissions when it creates the function");
        }

        @Test
        void roleMayManageNetworkInterfacesAndOnlyThoseOnAnyResource() {
            var role = run.inputs(ROLE, PREFIX + "-function");
            assertFalse(role.containsKey("managedPolicyArns"), "no AWSLambdaVPCAccessExecutionRole");
            var policy = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            var interfaces = statement(policy, "ManageVpcNetworkInterfaces").orElseThrow();
            assertEquals("Allow", interfaces.get("Effect"));
            assertEquals(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                            "ec2:UnassignPrivateIpAddresses"),
                    strings(interfaces.get("Action")));
            assertEquals(List.of("*"), strings(interfaces.get("Resource")));
            for (var other : statements(policy)) {
                if (!"ManageVpcNetworkInterfaces".equals(other.get("Sid"))) {
                    assertFalse(strings(other.get("Resource")).contains("*"), other.get("Sid") + " has a wildcard");
                    assertTrue(strings(other.get("Action")).stream().noneMatch(action -> action.startsWith("ec2:")),
                            other.get("Sid") + " grants an ec2 action");
                }
            }
            assertEquals(6, statements(policy).size(), "the five default statements plus the interfaces");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PrebuiltImage {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "imageUri", PREBUILT_IMAGE), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void nothingIsBuiltPushedOrKeptInARepositoryOfItsOwn() {
            assertEquals(List.of(), run.names(IMAGE));
            assertEquals(List.of(), run.names(REPOSITORY));
            assertEquals(List.of(), run.names(LIFECYCLE_POLICY));
            assertEquals(List.of(), run.names(REPOSITORY_POLICY));
            assertFalse(run.mocks().invokes().contains(RelayMocks.ECR_TOKEN_INVOKE), "no registry login without a push");
        }

        @Test
        void functionRunsTheGivenDigest() {
            var function = run.inputs(FUNCTION, PREFIX + "-function");
            assertEquals(PREBUILT_IMAGE, function.get("imageUri"));
            assertEquals("Image", function.get("packageType"));
            assertTrue(run.dependsOn(FUNCTION, PREFIX + "-function", ROLE_POLICY, PREFIX + "-function-permissions"));
        }

        @Test
        void outputsNameTheImageButNoRepository() {
            assertEquals(PREBUILT_IMAGE, run.output("imageUri"));
            assertEquals(PREBUILT_IMAGE.substring(PREBUILT_IMAGE.indexOf('@') + 1), run.output("imageDigest"));
            assertFalse(run.result().outputs().containsKey("repositoryUrl"));
            assertFalse(run.result().outputs().containsKey("repoDigest"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExistingTableAndEncryptedStream {

        static final String EXISTING_STREAM_ARN = arn("kinesis", "stream/" + EXISTING_STREAM);

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(EXISTING_TABLE_AND_STREAM, "cutOverMarginMinutes", "30"), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void noStreamAndNoStreamingDestinationAreDeclared() {
            assertEquals(List.of(), run.names(STREAM));
            assertEquals(List.of(), run.names(DESTINATION));
            assertTrue(run.registrations().stream().filter(r -> r.type().equals(TABLE)).allMatch(r -> r.read()),
                    "the table is only looked up");
            assertTrue(run.mocks().invokes().contains(RelayMocks.STREAM_LOOKUP_INVOKE));
        }

        @Test
        void theStreamsKeyIsLookedUpThroughItsAlias() {
            assertTrue(run.mocks().invokes().contains(RelayMocks.KEY_LOOKUP_INVOKE));
        }

        @Test
        void roleReadsThatStreamAndDecryptsWithItsKeyOnly() {
            var policy = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            var read = statement(policy, "ReadChangeStream").orElseThrow();
            assertEquals(List.of(EXISTING_STREAM_ARN), strings(read.get("Resource")));
            var decrypt = statement(policy, "DecryptChangeStream").orElseThrow();
            assertEquals(List.of("kms:Decrypt"), strings(decrypt.get("Action")));
            assertEquals(List.of(EXISTING_STREAM_KEY_ARN), strings(decrypt.get("Resource")),
                    "the key's ARN, resolved from the alias the stream names");
            assertEquals(Map.of("StringEquals", Map.of("kms:EncryptionContext:aws:kinesis:arn", EXISTING_STREAM_ARN)),
                    decrypt.get("Condition"));
        }

        @Test
        void mappingStartsAtTheCutOverMinusTheMargin() {
            var mapping = run.inputs(MAPPING, PREFIX + "-changes-to-function");
            assertEquals(EXISTING_STREAM_ARN, mapping.get("eventSourceArn"));
            assertEquals("AT_TIMESTAMP", mapping.get("startingPosition"));
            assertEquals("2026-12-02T05:30:00Z", mapping.get("startingPositionTimestamp"));
            assertTrue(run.deletesBeforeReplacing(MAPPING, PREFIX + "-changes-to-function"));
        }

        @Test
        void outputsNameTheExistingStream() {
            assertEquals(EXISTING_STREAM_ARN, run.output("streamArn"));
            assertEquals(EXISTING_STREAM, run.output("streamName"));
            assertEquals(EXISTING_TABLE, run.output("tableName"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExistingUnencryptedStream {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(EXISTING_TABLE_AND_STREAM,
                    "existingStreamArn", arn("kinesis", "stream/" + UNENCRYPTED_STREAM)), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void noKeyIsLookedUpOrGranted() {
            assertFalse(run.mocks().invokes().contains(RelayMocks.KEY_LOOKUP_INVOKE));
            var policy = run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            assertTrue(statement(policy, "DecryptChangeStream").isEmpty());
            assertFalse(policy.toString().contains("kms:"));
            assertEquals(List.of(arn("kinesis", "stream/" + UNENCRYPTED_STREAM)),
                    strings(statement(policy, "ReadChangeStream").orElseThrow().get("Resource")));
        }
    }

    @Nested
    class InvalidConfiguration {

        @Test
        void isRejectedBeforeAnyResourceIsDeclared() {
            var run = StackRun.runExpectingFailure(with(NEW_TABLE, "batchSize", "0", "architecture", "sparc"),
                    SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("batchSize: must be from 1 to 10000, got 0"), message);
            assertTrue(message.contains("architecture: must be one of x86_64, arm64, got 'sparc'"), message);
        }

        @Test
        void aVpcPlacementNeedsBothSubnetsAndSecurityGroups() {
            var run = StackRun.runExpectingFailure(with(NEW_TABLE, "vpcSubnetIds", "subnet-0a1b2c3d"), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("vpcSecurityGroupIds: is required with vpcSubnetIds"), message);

            run = StackRun.runExpectingFailure(with(NEW_TABLE, "vpcSecurityGroupIds", "sg-0a1b2c3d"), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            message = failureMessage(run);
            assertTrue(message.contains("vpcSubnetIds: is required with vpcSecurityGroupIds"), message);
        }

        @Test
        void malformedVpcIdsAreRejected() {
            var run = StackRun.runExpectingFailure(with(NEW_TABLE, "vpcSubnetIds", "subnet-0a1b2c3d,10.0.1.0/24",
                    "vpcSecurityGroupIds", "relay-sg"), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("vpcSubnetIds: must be comma-separated subnet ids (subnet-0123abcd,...),"
                    + " got '10.0.1.0/24'"), message);
            assertTrue(message.contains("vpcSecurityGroupIds: must be comma-separated security group ids"
                    + " (sg-0123abcd,...), got 'relay-sg'"), message);
            assertFalse(message.contains("is required with"), "malformed lists still count as set: " + message);
        }

        @Test
        void aPasswordStoredInPlainTextIsRejected() {
            var run = StackRun.runExpectingFailure(NEW_TABLE, Set.of("cratedbJdbcUrl", "cratedbUser"));
            assertEquals(List.of(), run.registrations());
            var message = failureMessage(run);
            assertTrue(message.contains("cratedbPassword: must be stored as a secret: pulumi config set --secret "
                    + "cratedbPassword"), message);
            assertFalse(message.contains(PASSWORD), "the error must not echo the password");
        }

        @Test
        void aStreamInAnotherRegionIsRejectedBeforeAnyResourceIsDeclared() {
            var run = StackRun.runExpectingFailure(with(EXISTING_TABLE_AND_STREAM,
                    "existingStreamArn", "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + EXISTING_STREAM),
                    SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("existingStreamArn: is in region us-east-1 but the stack deploys to "
                    + REGION), message);
        }

        @Test
        void anExistingStreamTogetherWithNewStreamSettingsIsRejected() {
            var run = StackRun.runExpectingFailure(with(EXISTING_TABLE_AND_STREAM, "streamMode", "PROVISIONED",
                    "streamShardCount", "2"), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("streamMode: must not be set together with existingStreamArn"), message);
            assertTrue(message.contains("streamShardCount: must not be set together with existingStreamArn"), message);
        }

        @Test
        void aStreamOfAnotherAccountFailsTheLookupCheckAndIsNeverMapped() {
            var run = StackRun.runExpectingFailure(with(EXISTING_TABLE_AND_STREAM,
                    "existingStreamArn", "arn:aws:kinesis:" + REGION + ":210987654321:stream/" + EXISTING_STREAM),
                    SECRET_KEYS);
            var message = failureMessage(run);
            assertTrue(message.contains("the stream must be in the account and region the stack deploys to"), message);
            assertEquals(List.of(), run.names(MAPPING), "no mapping onto a stream the lookup did not confirm");
        }

        @Test
        void anExistingStreamTheLookupCannotFindFailsTheDeployment() {
            var run = StackRun.runExpectingFailure(with(EXISTING_TABLE_AND_STREAM,
                    "existingStreamArn", arn("kinesis", "stream/no-such-stream")), SECRET_KEYS);
            assertTrue(failureMessage(run).contains("Stream no-such-stream under account " + ACCOUNT + " not found"),
                    failureMessage(run));
            assertEquals(List.of(), run.names(MAPPING), "nothing is mapped onto a stream that is not there");
            assertEquals(List.of(), run.names(ROLE_POLICY), "no grant is written for it either");
        }

        @Test
        void aRecordAgeBeyondTheExistingStreamsRetentionFailsTheDeployment() {
            var run = StackRun.runExpectingFailure(with(EXISTING_TABLE_AND_STREAM,
                    "maximumRecordAgeSeconds", "172800"), SECRET_KEYS);
            assertTrue(failureMessage(run).contains("maximumRecordAgeSeconds: 172800 exceeds the retention of 86400 s"
                    + " of the existing stream " + EXISTING_STREAM + ": records would expire unreported"),
                    failureMessage(run));
            assertEquals(List.of(), run.names(MAPPING));
        }

        @Test
        void aPrebuiltImageFromAnotherRegionIsRejected() {
            var run = StackRun.runExpectingFailure(with(NEW_TABLE,
                    "imageUri", PREBUILT_IMAGE.replace(REGION, "us-west-2")), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            assertTrue(failureMessage(run).contains("imageUri: is in region us-west-2 but the stack deploys to "
                    + REGION));
        }

        private static String failureMessage(StackRun run) {
            assertNotEquals(0, run.result().exitCode());
            assertFalse(run.result().exceptions().isEmpty());
            var text = new StringBuilder();
            for (Throwable failure : run.result().exceptions()) {
                for (var cause = failure; cause != null; cause = cause.getCause()) {
                    text.append(cause.getMessage()).append('\n');
                }
            }
            return text.toString();
        }
    }

    @Test
    void functionPolicyNeverUsesListStreams() {
        assertFalse(FunctionPolicies.STREAM_READ_ACTIONS.contains("kinesis:ListStreams"),
                "ListStreams needs Resource \"*\" and the mapping does not call it");
        assertEquals(3, RepositoryPolicies.PULL_ACTIONS.size());
    }
}
