package dev.cdcrelay.stack;

import com.pulumi.test.PulumiTest;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.cdcrelay.stack.support.FakeAws.*;
import static dev.cdcrelay.stack.support.Policies.statement;
import static dev.cdcrelay.stack.support.Policies.statements;
import static dev.cdcrelay.stack.support.Policies.strings;
import static dev.cdcrelay.stack.support.StackRun.PREFIX;
import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The deployer's policy in docs/deploy.md, with its placeholders filled in, must allow what the program
 * does to every resource it declares on the mocks. It cannot prove the action lists complete (only
 * AWS can), but a renamed resource or a forgotten service fails here.
 */
class DeployerPolicyTest {

    static final Path GUIDE = Path.of("..", "docs", "deploy.md");
    static final String SERVICE_LINKED_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/"
            + "kinesisreplication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBKinesisDataStreamsReplication";

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void coversEveryResourceOfANewTableStreamAndImage() throws IOException {
        var policy = deployerPolicy();
        var run = StackRun.run(with(NEW_TABLE, "alarmEmail", "oncall@example.com"), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions());
        var repository = String.valueOf(run.output("repositoryUrl"));
        var bucketArn = String.valueOf(run.output("deadLetterBucketArn"));
        var allowed = Map.ofEntries(
                Map.entry("ecr:GetAuthorizationToken", "*"),
                Map.entry("ecr:CreateRepository", arn("ecr", "repository/" + repository.substring(repository.indexOf('/') + 1))),
                Map.entry("dynamodb:CreateTable", String.valueOf(run.output("tableArn"))),
                Map.entry("kinesis:CreateStream", String.valueOf(run.output("streamArn"))),
                Map.entry("lambda:CreateFunction", String.valueOf(run.output("functionArn"))),
                Map.entry("lambda:CreateEventSourceMapping", arn("lambda", "event-source-mapping:"
                        + run.output("eventSourceMappingUuid"))),
                Map.entry("iam:PutRolePolicy", String.valueOf(run.output("roleArn"))),
                Map.entry("sqs:CreateQueue", String.valueOf(run.output("failureQueueArn"))),
                Map.entry("s3:CreateBucket", bucketArn),
                Map.entry("s3:DeleteObject", bucketArn + "/dead-letter/shardId-000000000000/1.json"),
                Map.entry("logs:PutRetentionPolicy", arn("logs", "log-group:" + run.output("logGroupName"))),
                Map.entry("sns:Subscribe", String.valueOf(run.output("alarmTopicArn"))),
                Map.entry("secretsmanager:PutSecretValue", String.valueOf(run.output("cratedbPasswordSecretArn"))),
                Map.entry("iam:CreateServiceLinkedRole", SERVICE_LINKED_ROLE));
        allowed.forEach((action, resource) -> assertTrue(allows(policy, action, resource), action + " on " + resource));
        for (var alarm : run.names("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            var alarmArn = arn("cloudwatch", "alarm:" + alarm + AUTO_NAME_SUFFIX);
            assertTrue(allows(policy, "cloudwatch:PutMetricAlarm", alarmArn), alarmArn);
        }
        assertTrue(allows(policy, "iam:PassRole", String.valueOf(run.output("roleArn"))));
        for (var dashboard : run.names("aws:cloudwatch/dashboard:Dashboard")) {
            var name = run.inputs("aws:cloudwatch/dashboard:Dashboard", dashboard).get("dashboardName");
            var dashboardArn = "arn:aws:cloudwatch::" + ACCOUNT + ":dashboard/" + name;
            assertTrue(allows(policy, "cloudwatch:PutDashboard", dashboardArn), dashboardArn);
        }
        assertFalse(run.names("aws:cloudwatch/queryDefinition:QueryDefinition").isEmpty());
        // Query definitions have no ARN: IAM takes only "*" for them.
        assertTrue(allows(policy, "logs:PutQueryDefinition", "*"));
        assertCoversTheBackfill(policy, run, flatOutputs(run));
    }

    /** The backfill's bucket, function, log group, both roles (each passed to its own service only), state machine. */
    private static void assertCoversTheBackfill(String policy, StackRun run, Map<String, String> table) {
        assertEquals(3, table.size(), "the backfill's outputs: " + table);
        var bucketArn = "arn:aws:s3:::" + table.get("backfillBucket");
        var functionArn = arn("lambda", "function:" + table.get("backfillFunctionName"));
        var allowed = Map.of(
                "s3:CreateBucket", bucketArn,
                "s3:PutLifecycleConfiguration", bucketArn,
                "s3:DeleteObject", bucketArn + "/backfill/exports/AWSDynamoDB/1/data/a.json.gz",
                "lambda:CreateFunction", functionArn,
                "logs:PutRetentionPolicy", arn("logs", "log-group:/aws/lambda/" + table.get("backfillFunctionName")),
                "states:CreateStateMachine", table.get("backfillStateMachineArn"),
                "states:TagResource", table.get("backfillStateMachineArn"));
        allowed.forEach((action, resource) -> assertTrue(allows(policy, action, resource), action + " on " + resource));
        var roles = run.registrations().stream().filter(r -> r.type().equals("aws:iam/role:Role"))
                .filter(r -> r.name().equals(table.get("backfillFunctionName"))
                        || r.name().equals(table.get("backfillFunctionName").replace("-backfill", "-bf-steps")))
                .map(r -> "arn:aws:iam::" + ACCOUNT + ":role/" + r.name() + AUTO_NAME_SUFFIX).toList();
        assertEquals(2, roles.size(), roles.toString());
        for (var role : roles) {
            assertTrue(allows(policy, "iam:CreateRole", role), role);
            assertTrue(allows(policy, "iam:PutRolePolicy", role), role);
            assertTrue(allows(policy, "iam:PassRole", role), role);
        }
    }

    private static Map<String, String> flatOutputs(StackRun run) {
        return Map.of("backfillBucket", String.valueOf(run.output("backfillBucket")),
                "backfillFunctionName", String.valueOf(run.output("backfillFunctionName")),
                "backfillStateMachineArn", String.valueOf(run.output("backfillStateMachineArn")));
    }

    @Test
    void coversEveryTableOfAStackWithTables() throws IOException {
        var policy = deployerPolicy();
        var run = StackRun.run(withTables(with(CREDENTIALS_ONLY, "alarmEmail", "oncall@example.com"),
                entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders"),
                entry("name", "readings", "existingTableName", EXISTING_TABLE, "cratedbTable", "doc.readings")),
                SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions());
        @SuppressWarnings("unchecked")
        var tables = (Map<String, Map<String, String>>) run.output("tables");
        assertEquals(2, tables.size());
        assertTrue(allows(policy, "dynamodb:CreateTable", tables.get("orders").get("tableArn")));
        assertTrue(allows(policy, "dynamodb:DescribeTable", tables.get("readings").get("tableArn")));
        for (var table : tables.values()) {
            var allowed = Map.of(
                    "kinesis:CreateStream", table.get("streamArn"),
                    "dynamodb:EnableKinesisStreamingDestination", table.get("tableArn"),
                    "lambda:CreateFunction", table.get("functionArn"),
                    "lambda:CreateEventSourceMapping", arn("lambda", "event-source-mapping:"
                            + table.get("eventSourceMappingUuid")),
                    "iam:PutRolePolicy", table.get("roleArn"),
                    "iam:PassRole", table.get("roleArn"),
                    "logs:PutRetentionPolicy", arn("logs", "log-group:" + table.get("logGroupName")),
                    "s3:DeleteObject", run.output("deadLetterBucketArn") + "/" + table.get("deadLetterPrefix") + "1.json");
            allowed.forEach((action, resource) -> assertTrue(allows(policy, action, resource), action + " on " + resource));
            assertCoversTheBackfill(policy, run, Map.of("backfillBucket", table.get("backfillBucket"),
                    "backfillFunctionName", table.get("backfillFunctionName"),
                    "backfillStateMachineArn", table.get("backfillStateMachineArn")));
        }
        for (var alarm : run.names("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            var alarmArn = arn("cloudwatch", "alarm:" + alarm + AUTO_NAME_SUFFIX);
            assertTrue(allows(policy, "cloudwatch:PutMetricAlarm", alarmArn), alarmArn);
        }
    }

    @Test
    void coversAnExistingTableStreamItsKeyAndAPrebuiltImage() throws IOException {
        var policy = deployerPolicy();
        var run = StackRun.run(with(EXISTING_TABLE_AND_STREAM, "imageUri", PREBUILT_IMAGE), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions());
        assertTrue(allows(policy, "dynamodb:DescribeTable", String.valueOf(run.output("tableArn"))));
        assertTrue(allows(policy, "kinesis:DescribeStreamSummary", String.valueOf(run.output("streamArn"))));
        assertTrue(allows(policy, "kms:DescribeKey", EXISTING_STREAM_KEY_ARN));
        var repository = PREBUILT_IMAGE.substring(PREBUILT_IMAGE.indexOf('/') + 1, PREBUILT_IMAGE.indexOf('@'));
        assertTrue(allows(policy, "ecr:BatchGetImage", arn("ecr", "repository/" + repository)));
    }

    @Test
    void theRolesMayBePassedOnlyToTheirServiceAndOnlyDynamoDbsReplicationRoleBeCreated() throws IOException {
        var policy = deployerPolicy();
        var pass = statement(policy, "PassFunctionRole").orElseThrow();
        assertEquals(List.of("iam:PassRole"), strings(pass.get("Action")));
        assertEquals(Map.of("StringEquals", Map.of("iam:PassedToService", "lambda.amazonaws.com")), pass.get("Condition"));
        var serviceLinked = statement(policy, "DynamoDBKinesisReplicationRole").orElseThrow();
        assertEquals(List.of(SERVICE_LINKED_ROLE), strings(serviceLinked.get("Resource")));
        assertEquals(Map.of("StringEquals", Map.of("iam:AWSServiceName", "kinesisreplication.dynamodb.amazonaws.com")),
                serviceLinked.get("Condition"));
        var passToStepFunctions = statement(policy, "PassStateMachineRole").orElseThrow();
        assertEquals(List.of("iam:PassRole"), strings(passToStepFunctions.get("Action")));
        assertEquals(Map.of("StringEquals", Map.of("iam:PassedToService", "states.amazonaws.com")),
                passToStepFunctions.get("Condition"));
        assertTrue(strings(passToStepFunctions.get("Resource")).stream().allMatch(role -> role.contains("-bf-steps-")),
                "only the state machine's roles go to Step Functions");
        for (var other : statements(policy)) {
            if (!List.of("PassFunctionRole", "PassStateMachineRole").contains(other.get("Sid"))) {
                assertFalse(strings(other.get("Action")).contains("iam:PassRole"), other.get("Sid") + " passes roles");
            }
        }
    }

    /** Whether an Allow statement names the action (or a wildcard of it) on a resource pattern matching the ARN. */
    private static boolean allows(String policy, String action, String resource) {
        return statements(policy).stream().filter(s -> "Allow".equals(s.get("Effect")))
                .filter(s -> strings(s.get("Action")).stream().anyMatch(pattern -> matches(pattern, action)))
                .anyMatch(s -> strings(s.get("Resource")).stream().anyMatch(pattern -> matches(pattern, resource)));
    }

    /** IAM's wildcards: * any run of characters, ? one character. */
    private static boolean matches(String pattern, String value) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }

    /** The ```json block under "### The deployer's permissions", placeholders filled in for the mocks. */
    private static String deployerPolicy() throws IOException {
        var guide = Files.readString(GUIDE);
        var section = guide.indexOf("## The deployer's permissions");
        assertTrue(section >= 0, "docs/deploy.md has no section \"The deployer's permissions\"");
        var start = guide.indexOf("```json\n", section) + "```json\n".length();
        var json = guide.substring(start, guide.indexOf("\n```", start));
        var repository = PREBUILT_IMAGE.substring(PREBUILT_IMAGE.indexOf('/') + 1, PREBUILT_IMAGE.indexOf('@'));
        return json.replace("<account>", ACCOUNT).replace("<region>", REGION).replace("<prefix>", PREFIX)
                .replace("<existingTableName>", EXISTING_TABLE).replace("<existingStreamName>", EXISTING_STREAM)
                .replace("<streamKeyArn>", EXISTING_STREAM_KEY_ARN).replace("<imageRepository>", repository);
    }
}
