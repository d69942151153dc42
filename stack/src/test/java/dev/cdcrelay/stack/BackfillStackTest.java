package dev.cdcrelay.stack;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.stack.components.Backfill;
import dev.cdcrelay.stack.support.StackRun;
import dev.cdcrelay.stack.workflow.BackfillDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cdcrelay.stack.support.FakeAws.*;
import static dev.cdcrelay.stack.support.Policies.parse;
import static dev.cdcrelay.stack.support.Policies.statements;
import static dev.cdcrelay.stack.support.Policies.strings;
import static dev.cdcrelay.stack.support.StackRun.PREFIX;
import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The backfill each table relay gets (docs/backfill.md, "On AWS"; BACKFILL-CONTRACT): the real program on
 * the mocks, its state machine definition read state by state, each role's statements read one by one.
 */
class BackfillStackTest {

    static final String FUNCTION = "aws:lambda/function:Function";
    static final String STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String BUCKET = "aws:s3/bucketV2:BucketV2";
    static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    static final String SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

    static final String BACKFILL = PREFIX + "-backfill";
    static final String BUCKET_NAME = PREFIX + "-bf-data" + AUTO_NAME_SUFFIX;
    static final String BUCKET_ARN = "arn:aws:s3:::" + BUCKET_NAME;
    static final String FUNCTION_ARN = arn("lambda", "function:" + BACKFILL);
    static final String STATE_MACHINE_ARN = arn("states", "stateMachine:" + BACKFILL);
    static final String TABLE_ARN = arn("dynamodb", "table/" + PREFIX + "-source" + AUTO_NAME_SUFFIX);
    static final String STREAM_ARN = arn("kinesis", "stream/" + PREFIX + "-changes" + AUTO_NAME_SUFFIX);

    /** The contract's retrier, on every Task. */
    static final Map<String, Object> RETRIER = Map.of(
            "ErrorEquals", List.of("dev.cdcrelay.backfill.RetryableBackfillException", "Lambda.ServiceException",
                    "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"),
            "IntervalSeconds", 5.0, "BackoffRate", 2.0, "MaxAttempts", 6.0, "JitterStrategy", "FULL");

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class NewTable {

        StackRun run;
        Map<String, Object> definition;
        Map<String, Object> states;

        @BeforeAll
        @SuppressWarnings("unchecked")
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "backfill.maxConcurrency", "7", "backfill.memoryMb", "2048",
                    "backfill.exportExpirationDays", "3"), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
            definition = parse(run.inputs(STATE_MACHINE, BACKFILL).get("definition"));
            states = (Map<String, Object>) definition.get("States");
        }

        @Test
        void theStateMachineIsStandardNamedAndRunsAsItsOwnRole() {
            var machine = run.inputs(STATE_MACHINE, BACKFILL);
            assertEquals(BACKFILL, machine.get("name"));
            assertEquals("STANDARD", machine.get("type"));
            assertEquals("arn:aws:iam::" + ACCOUNT + ":role/" + PREFIX + "-bf-steps" + AUTO_NAME_SUFFIX,
                    machine.get("roleArn"));
            assertTrue(run.dependsOn(STATE_MACHINE, BACKFILL, ROLE_POLICY, PREFIX + "-bf-steps-permissions"),
                    "the role must hold its permissions before the first execution");
            assertEquals("Start", definition.get("StartAt"));
        }

        @Test
        void startHandsTheExecutionInputToTheFunctionAndBranchesOnTheMode() {
            var start = state(states, "Start");
            assertInvokes(start, Map.of("action", "start", "input.$", "$", "clientToken.$", "$$.Execution.Name"));
            assertEquals("Mode", start.get("Next"));
            var mode = state(states, "Mode");
            assertEquals("Choice", mode.get("Type"));
            assertEquals(List.of(choice("$.mode", "export", "ExportStatus"), choice("$.mode", "scan", "ScanSegments")),
                    mode.get("Choices"));
            assertFail(state(states, String.valueOf(mode.get("Default"))));
        }

        @Test
        void anExportIsPolledEveryMinuteUntilCompleted() {
            var status = state(states, "ExportStatus");
            assertInvokes(status, Map.of("action", "exportStatus", "exportArn.$", "$.exportArn", "marginSeconds.$", "$.marginSeconds"));
            assertEquals("ExportFinished", status.get("Next"));
            var finished = state(states, "ExportFinished");
            assertEquals(List.of(choice("$.status", "COMPLETED", "LoadFiles"),
                    choice("$.status", "IN_PROGRESS", "WaitForExport")), finished.get("Choices"));
            assertFail(state(states, String.valueOf(finished.get("Default"))));
            assertEquals(Map.of("Type", "Wait", "Seconds", 60.0, "Next", "ExportStatus"), state(states, "WaitForExport"));
        }

        @Test
        void loadFilesReadsTheManifestAsJsonLinesAndLoadsEveryFileInParallel() {
            var map = state(states, "LoadFiles");
            assertDistributedMap(map, "LoadFiles");
            assertEquals(Map.of("Resource", "arn:aws:states:::s3:getObject",
                    "ReaderConfig", Map.of("InputType", "JSONL"),
                    "Parameters", Map.of("Bucket.$", "$.bucket", "Key.$", "$.manifestFilesKey")), map.get("ItemReader"));
            assertEquals(Map.of("action", "loadFile", "file.$", "$$.Map.Item.Value", "fileIndex.$", "$$.Map.Item.Index",
                    "bucket.$", "$.bucket", "exportArn.$", "$.exportArn", "exportTime.$", "$.exportTime",
                    "marginSeconds.$", "$.marginSeconds"), map.get("ItemSelector"));
            assertFalse(map.containsKey("ItemsPath"), "the items come from the ItemReader");
            var processor = processor(map);
            assertEquals("LoadFile", processor.get("StartAt"));
            var load = state(children(processor), "LoadFile");
            assertInvokesWithItsInput(load);
            assertEquals(true, load.get("End"));
            assertEquals(Set.of("LoadFile"), children(processor).keySet());

            assertEquals("ExportLoaded", map.get("Next"));
            var loaded = state(states, "ExportLoaded");
            assertEquals("Pass", loaded.get("Type"));
            assertEquals(Map.of("action", "summarize", "mode", "export", "results.$", "$.mapRun.ResultWriterDetails",
                    "exportArn.$", "$.exportArn", "itemCount.$", "$.itemCount"), loaded.get("Parameters"));
            assertEquals("Summarize", loaded.get("Next"));
        }

        @Test
        void scanSegmentsPagesThroughEachSegmentUntilDoneAndFailsItOnProblems() {
            var map = state(states, "ScanSegments");
            assertDistributedMap(map, "ScanSegments");
            assertEquals("$.segments", map.get("ItemsPath"));
            assertFalse(map.containsKey("ItemReader"));
            var processor = processor(map);
            assertEquals("ScanPages", processor.get("StartAt"));
            var inner = children(processor);
            var pages = state(inner, "ScanPages");
            assertInvokes(pages, Map.of("action", "scanSegment", "segment.$", "$.segment",
                    "totalSegments.$", "$.totalSegments", "scanId.$", "$.scanId", "snapshotTime.$", "$.snapshotTime",
                    "readUnitsPerSecond.$", "$.readUnitsPerSecond", "marginSeconds.$", "$.marginSeconds"));
            assertEquals("SegmentStatus", pages.get("Next"));
            var status = state(inner, "SegmentStatus");
            assertEquals(List.of(choice("$.status", "DONE", "SegmentDone"), choice("$.status", "MORE", "ScanPages"),
                    choice("$.status", "PROBLEMS", "SegmentProblems")), status.get("Choices"));
            assertEquals(Map.of("Type", "Succeed"), state(inner, "SegmentDone"));
            assertEquals(Map.of("Type", "Fail", "Error", "BackfillProblems",
                    "CausePath", "States.JsonToString($.problems)"), state(inner, "SegmentProblems"));
            assertFail(state(inner, String.valueOf(status.get("Default"))));

            assertEquals("ScanLoaded", map.get("Next"));
            assertEquals(Map.of("action", "summarize", "mode", "scan", "results.$", "$.mapRun.ResultWriterDetails",
                    "scanId.$", "$.scanId"), state(states, "ScanLoaded").get("Parameters"));
            assertEquals("Summarize", state(states, "ScanLoaded").get("Next"));
        }

        @Test
        void summarizeJudgesTheResultsAndEndsTheExecution() {
            var summarize = state(states, "Summarize");
            assertInvokesWithItsInput(summarize);
            assertEquals(true, summarize.get("End"));
        }

        @Test
        void everyTaskRetriesOnlyWhatMaySucceedLaterAndARefusalNeverAgain() {
            var tasks = tasks(definition);
            assertEquals(Set.of("Start", "ExportStatus", "LoadFile", "ScanPages", "Summarize"), tasks.keySet());
            tasks.forEach((name, task) -> {
                assertEquals(List.of(RETRIER), task.get("Retry"), name);
                assertFalse(task.containsKey("Catch"), name + ": a failure must fail the execution, visibly");
                var retried = task.get("Retry").toString();
                assertFalse(retried.contains(BackfillDefinition.REFUSED), name + " retries a refusal");
                assertFalse(retried.contains(BackfillDefinition.INCOMPLETE), name + " retries an incomplete summary");
                assertFalse(retried.contains("States.ALL"), name + " retries everything");
            });
        }

        @Test
        void everyTransitionNamesAStateOfItsOwnScopeAndEveryStateIsReached() {
            assertWellFormed(definition);
            assertWellFormed(processor(state(states, "LoadFiles")));
            assertWellFormed(processor(state(states, "ScanSegments")));
        }

        @Test
        void theFunctionRunsTheRelayImageWithTheBackfillHandlerForFifteenMinutes() {
            var function = run.inputs(FUNCTION, BACKFILL);
            var relay = run.inputs(FUNCTION, PREFIX + "-function");
            assertEquals(BACKFILL, function.get("name"));
            assertEquals("Image", function.get("packageType"));
            assertEquals(relay.get("imageUri"), function.get("imageUri"));
            assertEquals(relay.get("architectures"), function.get("architectures"));
            assertEquals(Map.of("commands", List.of("dev.cdcrelay.handler.BackfillHandler::handleRequest")),
                    function.get("imageConfig"));
            assertEquals(Backfill.HANDLER, "dev.cdcrelay.handler.BackfillHandler::handleRequest");
            assertEquals(900.0, function.get("timeout"));
            assertEquals(2048.0, function.get("memorySize"));
            assertEquals(60.0, relay.get("timeout"), "the relay function keeps its own timeout");
            assertEquals(1024.0, relay.get("memorySize"), "and its own memory");
            assertEquals("arn:aws:iam::" + ACCOUNT + ":role/" + BACKFILL + AUTO_NAME_SUFFIX, function.get("role"));
            assertEquals("/aws/lambda/" + BACKFILL, run.inputs(LOG_GROUP, BACKFILL + "-function-logs").get("name"));
            assertTrue(run.dependsOn(FUNCTION, BACKFILL, LOG_GROUP, BACKFILL + "-function-logs"));
            assertTrue(run.dependsOn(FUNCTION, BACKFILL, ROLE_POLICY, BACKFILL + "-permissions"));
            assertTrue(run.dependsOn(FUNCTION, BACKFILL, SECRET_VERSION, PREFIX + "-cratedb-password"),
                    "the function reads the password at start-up, so the secret must hold it first");
            assertTrue(run.deletesBeforeReplacing(FUNCTION, BACKFILL), "a fixed name cannot exist twice");
        }

        @Test
        void theFunctionHasTheRelaysWholeEnvironmentPlusTheFourBackfillVariables() {
            var relay = variables(run, PREFIX + "-function");
            var backfill = variables(run, BACKFILL);
            var expected = new HashMap<>(relay);
            expected.put(EnvVar.RELAY_SOURCE_TABLE_ARN.name(), TABLE_ARN);
            expected.put(EnvVar.RELAY_SOURCE_STREAM_ARN.name(), STREAM_ARN);
            expected.put(EnvVar.RELAY_BACKFILL_BUCKET.name(), BUCKET_NAME);
            expected.put(EnvVar.RELAY_BACKFILL_PREFIX.name(), "backfill/");
            assertEquals(expected, backfill);
            assertTrue(backfill.containsKey(EnvVar.CRATEDB_PASSWORD_SECRET_ARN.name()));
            assertFalse(backfill.containsKey(EnvVar.CRATEDB_PASSWORD.name()), "the password comes from the secret");
            assertFalse(backfill.containsValue(PASSWORD));
            for (var variable : List.of(EnvVar.CRATEDB_JDBC_URL, EnvVar.CRATEDB_USER, EnvVar.RELAY_BACKFILL_BUCKET)) {
                assertTrue(run.isSecretInput(FUNCTION, BACKFILL, "environment.variables." + variable.name()),
                        variable + " must reach the function as a secret (the environment is secret as a whole)");
            }
        }

        @Test
        void theFunctionsRoleReachesThisTableItsExportsAndTheBucketsPrefixesOnly() {
            var policy = run.inputs(ROLE_POLICY, BACKFILL + "-permissions").get("policy");
            var objects = BUCKET_ARN + "/backfill/";
            var expected = new LinkedHashMap<String, Grant>();
            expected.put("ReadSourceTable", new Grant(List.of("dynamodb:DescribeTable",
                    "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeKinesisStreamingDestination",
                    "dynamodb:ExportTableToPointInTime", "dynamodb:Scan"), List.of(TABLE_ARN)));
            expected.put("DescribeOwnExports", new Grant(List.of("dynamodb:DescribeExport"),
                    List.of(TABLE_ARN + "/export/*")));
            expected.put("ReadBackfillObjects", new Grant(List.of("s3:GetObject"), List.of(objects + "exports/*",
                    objects + "results/*", objects + "finished/*", objects + "scans/*")));
            expected.put("WriteExports", new Grant(List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl"),
                    List.of(objects + "exports/*")));
            expected.put("WriteProgress", new Grant(List.of("s3:PutObject"),
                    List.of(objects + "finished/*", objects + "scans/*")));
            expected.put("ListBackfillPrefix", new Grant(List.of("s3:ListBucket"), List.of(BUCKET_ARN)));
            var logGroup = arn("logs", "log-group:/aws/lambda/" + BACKFILL);
            expected.put("WriteOwnLogs", new Grant(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                    List.of(logGroup, logGroup + ":*")));
            expected.put("WriteDeadLetters", new Grant(List.of("s3:PutObject"), List.of("arn:aws:s3:::" + PREFIX
                    + "-dead-letters" + AUTO_NAME_SUFFIX + "/dead-letter/*")));
            expected.put("ReadCrateDbPassword", new Grant(List.of("secretsmanager:GetSecretValue"),
                    List.of(arn("secretsmanager", "secret:" + PREFIX + "-cratedb-password" + AUTO_NAME_SUFFIX
                            + SECRET_ARN_SUFFIX))));
            assertEquals(expected, grants(policy));
            var list = statements(policy).stream().filter(s -> "ListBackfillPrefix".equals(s.get("Sid"))).findFirst()
                    .orElseThrow();
            assertEquals(Map.of("StringLike", Map.of("s3:prefix", "backfill/*")), list.get("Condition"));
            assertNoWildcardResource(policy);
            assertFalse(policy.toString().contains("kinesis:"), "the backfill does not read the stream");
            assertEquals(Map.of("Service", "lambda.amazonaws.com"), trustedService(run, BACKFILL));
        }

        @Test
        void theStateMachinesRoleInvokesTheBackfillFunctionAndRunsItsOwnMapRunsOnly() {
            var policy = run.inputs(ROLE_POLICY, PREFIX + "-bf-steps-permissions").get("policy");
            var objects = BUCKET_ARN + "/backfill/";
            var children = List.of(arn("states", "execution:" + BACKFILL + "/LoadFiles:*"),
                    arn("states", "execution:" + BACKFILL + "/ScanSegments:*"));
            var expected = new LinkedHashMap<String, Grant>();
            expected.put("InvokeBackfillFunction", new Grant(List.of("lambda:InvokeFunction"),
                    List.of(FUNCTION_ARN, FUNCTION_ARN + ":*")));
            expected.put("ReadExportManifests", new Grant(List.of("s3:GetObject"),
                    List.of(objects + "exports/*manifest-files.json")));
            expected.put("WriteMapRunResults", new Grant(List.of("s3:PutObject", "s3:GetObject",
                    "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"), List.of(objects + "results/*")));
            expected.put("StartMapRunChildren", new Grant(List.of("states:StartExecution"), List.of(STATE_MACHINE_ARN)));
            expected.put("ManageMapRunChildren", new Grant(List.of("states:DescribeExecution", "states:StopExecution"),
                    children));
            expected.put("RedriveMapRunChildren", new Grant(List.of("states:RedriveExecution"), children));
            assertEquals(expected, grants(policy));
            assertNoWildcardResource(policy);
            assertFalse(policy.toString().contains(PREFIX + "-function\""), "never the relay function");
            assertEquals(Map.of("Service", "states.amazonaws.com"), trustedService(run, PREFIX + "-bf-steps"));
            // The labels the role is scoped by are the ones the definition gives its maps.
            assertEquals("LoadFiles", state(states, "LoadFiles").get("Label"));
            assertEquals("ScanSegments", state(states, "ScanSegments").get("Label"));
        }

        @Test
        void theBucketIsPrivateEncryptedTlsOnlyAndExpiresExportsAndResults() {
            var bucket = PREFIX + "-bf-data";
            assertEquals(true, run.inputs(BUCKET, bucket).get("forceDestroy"),
                    "it holds only copies of the table, markers and results: destroy may empty it");
            assertEquals(Map.of("objectOwnership", "BucketOwnerEnforced"),
                    run.inputs("aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket + "-ownership")
                            .get("rule"));
            var block = run.inputs("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket + "-private");
            for (var setting : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                    "restrictPublicBuckets")) {
                assertEquals(true, block.get(setting), setting);
            }
            var encryption = run.inputs("aws:s3/bucketServerSideEncryptionConfigurationV2:"
                    + "BucketServerSideEncryptionConfigurationV2", bucket + "-encryption");
            assertTrue(encryption.get("rules").toString().contains("sseAlgorithm=AES256"), encryption.toString());
            var lifecycle = run.inputs("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                    bucket + "-expiry");
            assertEquals(List.of(
                    Map.of("id", "expire-exports", "status", "Enabled", "filter", Map.of("prefix", "backfill/exports/"),
                            "expiration", Map.of("days", 3.0)),
                    Map.of("id", "expire-map-run-results", "status", "Enabled",
                            "filter", Map.of("prefix", "backfill/results/"), "expiration", Map.of("days", 3.0))),
                    lifecycle.get("rules"));
            var tlsOnly = statements(run.inputs("aws:s3/bucketPolicy:BucketPolicy", bucket + "-tls-only").get("policy"));
            assertEquals(1, tlsOnly.size());
            assertEquals("Deny", tlsOnly.get(0).get("Effect"));
            assertEquals(List.of(BUCKET_ARN, BUCKET_ARN + "/*"), strings(tlsOnly.get(0).get("Resource")));
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), tlsOnly.get(0).get("Condition"));
        }

        @Test
        void outputsNameTheStateMachineBucketAndFunctionAndCarryNoSecret() {
            assertEquals(STATE_MACHINE_ARN, run.output("backfillStateMachineArn"));
            assertEquals(BUCKET_NAME, run.output("backfillBucket"));
            assertEquals(BACKFILL, run.output("backfillFunctionName"));
            for (var name : List.of("backfillStateMachineArn", "backfillBucket", "backfillFunctionName")) {
                assertFalse(run.outputIsSecret(name), name + " is needed in plain text for the start command");
                for (var credential : List.of(PASSWORD, USER, JDBC_URL)) {
                    assertFalse(String.valueOf(run.output(name)).contains(credential), name + " leaks a credential");
                }
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PasswordInTheEnvironmentInAVpc {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(with(NEW_TABLE, "passwordDelivery", "environment", "vpcSubnetIds", "subnet-0a1b2c3d",
                    "vpcSecurityGroupIds", "sg-0a1b2c3d"), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void thePasswordIsDeliveredAsTheRelaysIsAndStaysSecret() {
            var backfill = variables(run, BACKFILL);
            assertEquals(PASSWORD, backfill.get(EnvVar.CRATEDB_PASSWORD.name()));
            assertFalse(backfill.containsKey(EnvVar.CRATEDB_PASSWORD_SECRET_ARN.name()));
            assertTrue(run.isSecretInput(FUNCTION, BACKFILL, "environment.variables." + EnvVar.CRATEDB_PASSWORD.name()),
                    "the password must never be plain in the state");
            var policy = run.inputs(ROLE_POLICY, BACKFILL + "-permissions").get("policy");
            assertFalse(policy.toString().contains("secretsmanager:"), "no secret to read");
        }

        @Test
        void theFunctionRunsInTheRelaysVpcWithTheInterfaceActions() {
            assertEquals(Map.of("subnetIds", List.of("subnet-0a1b2c3d"), "securityGroupIds", List.of("sg-0a1b2c3d")),
                    run.inputs(FUNCTION, BACKFILL).get("vpcConfig"));
            assertEquals(run.inputs(FUNCTION, PREFIX + "-function").get("vpcConfig"),
                    run.inputs(FUNCTION, BACKFILL).get("vpcConfig"));
            var vpc = statements(run.inputs(ROLE_POLICY, BACKFILL + "-permissions").get("policy")).stream()
                    .filter(s -> "ManageVpcNetworkInterfaces".equals(s.get("Sid"))).findFirst().orElseThrow();
            assertEquals(List.of("*"), strings(vpc.get("Resource")), "AWS documents * for these five");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExistingTableInTables {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(withTables(with(CREDENTIALS_ONLY, "backfill.maxConcurrency", "12"),
                    entry("name", "readings", "existingTableName", EXISTING_TABLE, "cratedbTable", "doc.readings")),
                    SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void theBackfillIsTheEntrysOwnAndNamesTheExistingTable() {
            var prefix = PREFIX + "-readings";
            var variables = variables(run, prefix + "-backfill");
            assertEquals(arn("dynamodb", "table/" + EXISTING_TABLE), variables.get(EnvVar.RELAY_SOURCE_TABLE_ARN.name()));
            assertEquals("dead-letter/readings/", variables.get(EnvVar.RELAY_DEAD_LETTER_PREFIX.name()));
            var definition = parse(run.inputs(STATE_MACHINE, prefix + "-backfill").get("definition"));
            @SuppressWarnings("unchecked")
            var states = (Map<String, Object>) definition.get("States");
            assertEquals(12.0, state(states, "LoadFiles").get("MaxConcurrency"));
            assertEquals(12.0, state(states, "ScanSegments").get("MaxConcurrency"));
            assertEquals(arn("lambda", "function:" + prefix + "-backfill"),
                    ((Map<?, ?>) state(states, "Start").get("Parameters")).get("FunctionName"));
            @SuppressWarnings("unchecked")
            var tables = (Map<String, Map<String, String>>) run.output("tables");
            assertEquals(arn("states", "stateMachine:" + prefix + "-backfill"),
                    tables.get("readings").get("backfillStateMachineArn"));
        }
    }

    /**
     * The longest entry name the relay's role allows (24 characters with this prefix) also fits every backfill
     * name: roles within IAM's 64 characters, the bucket within S3's 63, with Pulumi's 8-character suffix.
     */
    @Test
    void theLongestTableNameStillFitsEveryBackfillName() {
        var name = "a".repeat(24);
        var run = StackRun.run(withTables(CREDENTIALS_ONLY, entry("name", name, "tableHashKey", "id",
                "cratedbTable", "doc.t")), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        var prefix = PREFIX + "-" + name;
        for (var role : List.of(prefix + "-backfill", prefix + "-bf-steps")) {
            assertTrue(run.names(ROLE).contains(role), role);
            assertEquals(64, (role + AUTO_NAME_SUFFIX).length(), role);
        }
        assertTrue(run.names(BUCKET).contains(prefix + "-bf-data"));
        assertTrue((prefix + "-bf-data" + AUTO_NAME_SUFFIX).length() <= 63);
        assertTrue(String.valueOf(run.inputs(FUNCTION, prefix + "-backfill").get("name")).length() <= 64);
        assertTrue(String.valueOf(run.inputs(STATE_MACHINE, prefix + "-backfill").get("name")).length() <= 80);
    }

    @Test
    void turnedOffNoneOfItIsDeclared() {
        var run = StackRun.run(with(NEW_TABLE, "backfill.enabled", "false"), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        assertEquals(List.of(), run.names(STATE_MACHINE));
        assertEquals(List.of(PREFIX + "-function"), run.names(FUNCTION));
        assertEquals(List.of(PREFIX + "-dead-letters"), run.names(BUCKET));
        assertEquals(List.of(PREFIX + "-function"), run.names(ROLE));
        assertTrue(run.registrations().stream().noneMatch(r -> r.type().equals("cdcrelay:components:Backfill")));
        assertTrue(run.result().outputs().keySet().stream().noneMatch(name -> name.startsWith("backfill")),
                run.result().outputs().keySet().toString());
        var access = run.inputs("aws:ecr/repositoryPolicy:RepositoryPolicy", PREFIX + "-function-image-access");
        assertFalse(access.get("policy").toString().contains("-backfill"), "no backfill function to let pull");
    }

    @Test
    void anInvalidBackfillKeyFailsBeforeAnythingIsDeclaredAndIsNamed() {
        var run = StackRun.runExpectingFailure(with(NEW_TABLE, "backfill.maxConcurrency", "0",
                "backfill.memoryMb", "99999"), SECRET_KEYS);
        assertEquals(List.of(), run.registrations(), "nothing may be declared");
        var message = run.failureMessages();
        assertTrue(message.contains("backfill.maxConcurrency: must be from 1 to 100, got 0"), message);
        assertTrue(message.contains("backfill.memoryMb: must be from 128 to 10240, got 99999"), message);
    }

    // --- helpers over the parsed definition and policies

    /** One statement's actions and resources. */
    record Grant(List<String> actions, List<String> resources) {
    }

    private static Map<String, Grant> grants(Object policy) {
        var grants = new LinkedHashMap<String, Grant>();
        statements(policy).forEach(s -> {
            assertEquals("Allow", s.get("Effect"));
            grants.put(String.valueOf(s.get("Sid")), new Grant(strings(s.get("Action")), strings(s.get("Resource"))));
        });
        return grants;
    }

    private static void assertNoWildcardResource(Object policy) {
        for (var statement : statements(policy)) {
            for (var resource : strings(statement.get("Resource"))) {
                assertNotEquals("*", resource, statement.get("Sid") + " is granted on every resource");
                assertFalse(resource.matches("arn:aws:[a-z0-9]+:[^:]*:[^:]*:\\*"), resource);
            }
        }
    }

    /** The one service the role's trust policy lets assume it. */
    private static Object trustedService(StackRun run, String roleName) {
        var trust = statements(run.inputs(ROLE, roleName).get("assumeRolePolicy"));
        assertEquals(1, trust.size());
        assertEquals(List.of("sts:AssumeRole"), strings(trust.get(0).get("Action")));
        return trust.get(0).get("Principal");
    }

    private static Map<String, String> variables(StackRun run, String functionName) {
        var environment = (Map<?, ?>) run.inputs(FUNCTION, functionName).get("environment");
        var variables = new HashMap<String, String>();
        ((Map<?, ?>) environment.get("variables")).forEach((k, v) -> variables.put(String.valueOf(k), String.valueOf(v)));
        return variables;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Map<String, Object> states, String name) {
        assertTrue(states.containsKey(name), "no state " + name + " among " + states.keySet());
        return (Map<String, Object>) states.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> processor(Map<String, Object> map) {
        return (Map<String, Object>) map.get("ItemProcessor");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> children(Map<String, Object> processor) {
        return (Map<String, Object>) processor.get("States");
    }

    private static Map<String, Object> choice(String variable, String value, String next) {
        return Map.of("Variable", variable, "StringEquals", value, "Next", next);
    }

    private static void assertFail(Map<String, Object> state) {
        assertEquals("Fail", state.get("Type"));
        assertFalse(String.valueOf(state.get("Error")).isBlank());
        assertFalse(String.valueOf(state.get("Cause")).isBlank());
    }

    /** A lambda:invoke of the backfill function with this payload, continuing with what the function returned. */
    private static void assertInvokes(Map<String, Object> task, Map<String, Object> payload) {
        assertEquals("Task", task.get("Type"));
        assertEquals("arn:aws:states:::lambda:invoke", task.get("Resource"));
        assertEquals(Map.of("FunctionName", FUNCTION_ARN, "Payload", payload), task.get("Parameters"));
        assertEquals("$.Payload", task.get("OutputPath"));
    }

    private static void assertInvokesWithItsInput(Map<String, Object> task) {
        assertEquals("Task", task.get("Type"));
        assertEquals("arn:aws:states:::lambda:invoke", task.get("Resource"));
        assertEquals(Map.of("FunctionName", FUNCTION_ARN, "Payload.$", "$"), task.get("Parameters"));
        assertEquals("$.Payload", task.get("OutputPath"));
    }

    /** Distributed, STANDARD children, every item tried, at most the configured 7 at once, results to the bucket. */
    private static void assertDistributedMap(Map<String, Object> map, String label) {
        assertEquals("Map", map.get("Type"));
        assertEquals(label, map.get("Label"));
        assertEquals(Map.of("Mode", "DISTRIBUTED", "ExecutionType", "STANDARD"), processor(map).get("ProcessorConfig"));
        assertEquals(7.0, map.get("MaxConcurrency"), "backfill.maxConcurrency");
        assertEquals(100.0, map.get("ToleratedFailurePercentage"));
        assertEquals(Map.of("Resource", "arn:aws:states:::s3:putObject",
                "Parameters", Map.of("Bucket", BUCKET_NAME, "Prefix", "backfill/results/")), map.get("ResultWriter"));
        assertEquals("$.mapRun", map.get("ResultPath"), "the export's or scan's fields stay for Summarize");
    }

    /** Every Task of the definition and of its maps' processors, by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> tasks(Map<String, Object> scope) {
        var tasks = new LinkedHashMap<String, Map<String, Object>>();
        ((Map<String, Object>) scope.get("States")).forEach((name, value) -> {
            var state = (Map<String, Object>) value;
            if ("Task".equals(state.get("Type"))) {
                tasks.put(name, state);
            } else if ("Map".equals(state.get("Type"))) {
                tasks.putAll(tasks(processor(state)));
            }
        });
        return tasks;
    }

    /** StartAt, every Next, Default and Choice target name a state of the same scope; every state is reached. */
    @SuppressWarnings("unchecked")
    private static void assertWellFormed(Map<String, Object> scope) {
        var states = (Map<String, Object>) scope.get("States");
        var reached = new HashSet<String>();
        var pending = new ArrayList<>(List.of(String.valueOf(scope.get("StartAt"))));
        while (!pending.isEmpty()) {
            var name = pending.remove(pending.size() - 1);
            assertTrue(states.containsKey(name), "a transition names " + name + ", not a state of " + states.keySet());
            if (!reached.add(name)) {
                continue;
            }
            var state = (Map<String, Object>) states.get(name);
            var type = String.valueOf(state.get("Type"));
            if (state.containsKey("Next")) {
                pending.add(String.valueOf(state.get("Next")));
            }
            if (state.containsKey("Default")) {
                pending.add(String.valueOf(state.get("Default")));
            }
            if (state.containsKey("Choices")) {
                ((List<Map<String, Object>>) state.get("Choices")).forEach(c -> pending.add(String.valueOf(c.get("Next"))));
            }
            var terminal = Set.of("Succeed", "Fail").contains(type) || Boolean.TRUE.equals(state.get("End"));
            assertTrue(terminal || state.containsKey("Next") || "Choice".equals(type), name + " leads nowhere");
        }
        assertEquals(states.keySet(), reached, "unreached states");
    }
}
