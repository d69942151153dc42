package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.TtlDeletes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Validation without Pulumi: every setting's defaults, and one rejected value per validated setting. */
class RelayStackConfigTest {

    private static RelayStackConfig parse(Map<String, String> config) {
        return RelayStackConfig.from(MapConfigSource.of(config, SECRET_KEYS), "dynamodb-cdc-relay", "dev");
    }

    /** The one table the single-table keys describe. */
    private static TableRelaySettings only(RelayStackConfig config) {
        assertEquals(1, config.tables().size());
        return config.tables().get(0);
    }

    @Test
    void defaultsAreSafeAndComplete() {
        var config = parse(NEW_TABLE);
        assertEquals("dynamodb-cdc-relay-dev", config.namePrefix());
        assertEquals(new ImageSettings(Architecture.X86_64, new ImageSettings.Build(10, true)), config.image());
        assertEquals(new TableSettings.NewTable(
                new KeySchema(new KeyAttribute("device", KeyType.S), Optional.of(new KeyAttribute("timestamp", KeyType.S))),
                BillingMode.PAY_PER_REQUEST, Optional.empty(), true, false), only(config).table());
        assertEquals(new StreamSettings.NewStream(StreamMode.ON_DEMAND, OptionalInt.empty(), 24, "alias/aws/kinesis"),
                only(config).stream());
        assertEquals(new FunctionSettings(1024, 60, OptionalInt.empty(), 30, ApplicationLogLevel.INFO), config.function());
        assertEquals(new SinkSettings("doc.readings", TtlDeletes.DELETE, Optional.empty(), 2,
                new PasswordSettings(PasswordDelivery.SECRETSMANAGER, 7)), only(config).sink());
        assertEquals(new FailureSettings("dead-letter/", 30, false, 14), config.failures());
        assertEquals(new MappingSettings(1_000, 1, 1, StartingPosition.TRIM_HORIZON, Optional.empty(), 10, 86_400),
                only(config).mapping());
        assertEquals(new AlarmSettings(Optional.empty(), Optional.empty(), 300_000, 1, 1, 300_000), config.alarms());
        assertEquals(Optional.empty(), config.vpc());
        assertEquals(Optional.of(new BackfillSettings(4, 1024, 7)), config.backfill());
    }

    @Test
    void backfillTakesItsDottedKeysAndCanBeTurnedOff() {
        assertEquals(Optional.of(new BackfillSettings(16, 2048, 3)), parse(with(NEW_TABLE,
                "backfill.maxConcurrency", "16", "backfill.memoryMb", "2048", "backfill.exportExpirationDays", "3"))
                .backfill());
        assertEquals(Optional.of(new BackfillSettings(100, 1024, 7)),
                parse(with(NEW_TABLE, "backfill.maxConcurrency", "100")).backfill());
        // Pulumi.yaml's defaults are set in every stack, also one without backfill: they are no problem there.
        assertEquals(Optional.empty(), parse(with(NEW_TABLE, "backfill.enabled", "false",
                "backfill.maxConcurrency", "4", "backfill.memoryMb", "1024")).backfill());
    }

    @Test
    void vpcPlacementTakesBothIdListsTrimmed() {
        var config = parse(with(NEW_TABLE, "vpcSubnetIds", " subnet-0a1b2c3d, subnet-0123456789abcdef0 ",
                "vpcSecurityGroupIds", "sg-0a1b2c3d"));
        assertEquals(Optional.of(new VpcSettings(List.of("subnet-0a1b2c3d", "subnet-0123456789abcdef0"),
                List.of("sg-0a1b2c3d"))), config.vpc());
    }

    @Test
    void keySchemaIsHashKeyFirst() {
        var table = (TableSettings.NewTable) only(parse(with(NEW_TABLE, "tableHashKeyType", "N", "tableRangeKeyType", "B"))).table();
        assertEquals("device:N,timestamp:B", table.keySchema().format());
        var hashOnly = (TableSettings.NewTable) only(parse(with(NEW_TABLE, "tableRangeKey", null))).table();
        assertEquals("device:S", hashOnly.keySchema().format());
    }

    @Test
    void existingTableNeedsNoKeyConfig() {
        var config = parse(with(NEW_TABLE, "tableHashKey", null, "tableRangeKey", null,
                "existingTableName", "sensor-readings"));
        assertEquals(new TableSettings.ExistingTable("sensor-readings"), only(config).table());
    }

    @Test
    void customerManagedStreamKeyNeedsADecryptGrant() {
        var arn = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assertEquals(Optional.of(arn), newStream(parse(with(NEW_TABLE, "streamKmsKey", arn))).customerManagedKeyArn());
        assertEquals(Optional.empty(), newStream(parse(NEW_TABLE)).customerManagedKeyArn());
    }

    @Test
    void aPrebuiltImageReplacesTheBuildAndItsRepository() {
        var config = parse(with(NEW_TABLE, "imageUri", PREBUILT_IMAGE, "architecture", "arm64", "aws:region",
                "eu-central-1"));
        assertEquals(new ImageSettings(Architecture.ARM64, new ImageSettings.Prebuilt(PREBUILT_IMAGE)), config.image());
        assertEquals("sha256:" + "fedcba9876543210".repeat(4), ((ImageSettings.Prebuilt) config.image().source()).digest());
    }

    @Test
    void anExistingStreamIsReadFromTheCutOverTimeMinusTheMargin() {
        var config = parse(EXISTING_TABLE_AND_STREAM);
        var stream = (StreamSettings.ExistingStream) only(config).stream();
        assertEquals("arn:aws:kinesis:eu-central-1:123456789012:stream/processor-changes", stream.arn());
        assertEquals("processor-changes", stream.name());
        assertEquals(StartingPosition.AT_TIMESTAMP, only(config).mapping().startingPosition());
        assertEquals(Optional.of("2026-12-02T05:45:00Z"), only(config).mapping().startingPositionTimestamp(),
                "15 minutes before the cut-over by default");

        var withOffsetAndMargin = parse(with(EXISTING_TABLE_AND_STREAM, "cutOverTime", "2026-12-02T07:00:30+01:00",
                "cutOverMarginMinutes", "90"));
        assertEquals(Optional.of("2026-12-02T04:30:30Z"), only(withOffsetAndMargin).mapping().startingPositionTimestamp());
        assertEquals(Optional.of("2026-12-02T06:00:00Z"),
                only(parse(with(EXISTING_TABLE_AND_STREAM, "cutOverMarginMinutes", "0"))).mapping().startingPositionTimestamp());
    }

    @Test
    void regionBoundSettingsPassInTheDeploymentRegionAndWhenItIsUnknown() {
        var inRegion = with(EXISTING_TABLE_AND_STREAM, "imageUri", PREBUILT_IMAGE, "aws:region", "eu-central-1");
        assertInstanceOf(StreamSettings.ExistingStream.class, only(parse(inRegion)).stream());
        var regionUnknown = with(inRegion, "aws:region", null,
                "existingStreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/processor-changes");
        assertInstanceOf(StreamSettings.ExistingStream.class, only(parse(regionUnknown)).stream(),
                "without a known region the check is left to AWS");
    }

    private static StreamSettings.NewStream newStream(RelayStackConfig config) {
        return (StreamSettings.NewStream) only(config).stream();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var invalid = assertThrows(InvalidConfigException.class, () -> parse(with(NEW_TABLE,
                "batchSize", "0", "parallelizationFactor", "11", "tableBillingMode", "ON_DEMAND", "cratedbTable", null)));
        assertEquals(4, invalid.problems().size(), invalid.getMessage());
        assertTrue(invalid.getMessage().startsWith("Invalid stack configuration (4 problems)"));
    }

    @Test
    void passwordStoredInPlainTextIsRejectedWithoutEchoingIt() {
        var invalid = assertThrows(InvalidConfigException.class, () -> RelayStackConfig.from(
                MapConfigSource.of(NEW_TABLE, Set.of("cratedbUser", "cratedbJdbcUrl")), "dynamodb-cdc-relay", "dev"));
        assertEquals("cratedbPassword: must be stored as a secret: pulumi config set --secret cratedbPassword <value>",
                invalid.problems().get(0));
        assertFalse(invalid.getMessage().contains(PASSWORD));
    }

    @Test
    void secretCheckIsSkippedWhenTheSourceCannotTell() {
        ConfigSource cannotTell = new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(NEW_TABLE.get(key));
            }

            @Override
            public Optional<Boolean> isSecret(String key) {
                return Optional.empty();
            }
        };
        assertEquals("doc.readings", only(RelayStackConfig.from(cannotTell, "p", "dev")).sink().cratedbTable());
    }

    @Test
    void namePrefixIsDerivedFromProjectAndStackInTheStrictestSpelling() {
        assertEquals("dynamodb-cdc-relay-prod-eu", NamePrefix.derive("dynamodb-cdc-relay", "Prod_EU"));
        assertEquals("acme-my-org-dev", NamePrefix.derive("acme", "--My-Org/dev--"));
        assertEquals("relay-blue", parse(with(NEW_TABLE, "namePrefix", "relay-blue")).namePrefix());
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @MethodSource("rejectedSettings")
    void rejectedSettingNamesItsKey(String key, String value, String expectedProblem, Map<String, String> alsoSet) {
        var config = with(with(NEW_TABLE, flatten(alsoSet)), key, value);
        var invalid = assertThrows(InvalidConfigException.class, () -> parse(config));
        assertEquals(1, invalid.problems().size(), invalid.getMessage());
        var problem = invalid.problems().get(0);
        assertTrue(problem.startsWith(expectedProblem.substring(0, expectedProblem.indexOf(':') + 1)),
                "the problem names its key: " + problem);
        assertTrue(problem.contains(expectedProblem.substring(expectedProblem.indexOf(':') + 2)),
                "expected '" + expectedProblem + "' but was '" + problem + "'");
    }

    static Stream<Arguments> rejectedSettings() {
        return Stream.of(
                // name prefix
                rejected("namePrefix", "Relay_Blue", "namePrefix: must be lower-case letters, digits and single hyphens"),
                rejected("namePrefix", "a-very-long-prefix-for-a-small-relay", "namePrefix: must be 3 to 32 characters"),
                // image
                rejected("architecture", "x86", "architecture: must be one of x86_64, arm64, got 'x86'"),
                rejected("ecrKeepImages", "0", "ecrKeepImages: must be from 1 to 1000, got 0"),
                rejected("ecrPublicPull", "yes", "ecrPublicPull: must be true or false, got 'yes'"),
                // prebuilt image
                rejected("imageUri", "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay:latest",
                        "imageUri: must be an ECR image by digest, <account>.dkr.ecr.<region>.amazonaws.com/"
                                + "<repository>@sha256:<64 hex digits> (no tag), got '123456789012.dkr.ecr"
                                + ".eu-central-1.amazonaws.com/relay:latest'"),
                rejected("imageUri", PREBUILT_IMAGE.replace("@", ":v1@"), "imageUri: must be an ECR image by digest"),
                rejected("imageUri", PREBUILT_IMAGE.substring(0, PREBUILT_IMAGE.length() - 1),
                        "imageUri: must be an ECR image by digest"),
                rejected("imageUri", "ghcr.io/acme/relay@sha256:" + "ab".repeat(32),
                        "imageUri: must be an ECR image by digest"),
                rejected("imageUri", PREBUILT_IMAGE.replace("eu-central-1", "us-east-1"),
                        "imageUri: is in region us-east-1 but the stack deploys to eu-central-1: Lambda pulls"
                                + " images only from ECR in the function's own region", Map.of("aws:region", "eu-central-1")),
                rejected("ecrKeepImages", "5", "ecrKeepImages: must not be set together with imageUri: the stack then"
                        + " builds no image and creates no repository", Map.of("imageUri", PREBUILT_IMAGE)),
                rejected("ecrPublicPull", "false", "ecrPublicPull: must not be set together with imageUri",
                        Map.of("imageUri", PREBUILT_IMAGE)),
                // table
                rejected("tableHashKey", null, "tableHashKey: is required"),
                rejected("tableHashKeyType", "STRING", "tableHashKeyType: must be one of S, N, B, got 'STRING'"),
                rejected("tableRangeKeyType", "BOOL", "tableRangeKeyType: must be one of S, N, B, got 'BOOL'"),
                rejected("tableRangeKeyType", "N", "tableRangeKeyType: is set but tableRangeKey is not",
                        Map.of("tableRangeKey", "")),
                rejected("tableRangeKey", "device", "tableRangeKey: must differ from tableHashKey"),
                rejected("tableBillingMode", "ON_DEMAND",
                        "tableBillingMode: must be one of PAY_PER_REQUEST, PROVISIONED, got 'ON_DEMAND'"),
                rejected("tableReadCapacity", null, "tableReadCapacity: is required with tableBillingMode PROVISIONED",
                        Map.of("tableBillingMode", "PROVISIONED", "tableWriteCapacity", "5")),
                rejected("tableWriteCapacity", "5", "tableWriteCapacity: is only valid with tableBillingMode PROVISIONED"),
                rejected("tableReadCapacity", "0", "tableReadCapacity: must be from 1 to 40000, got 0",
                        Map.of("tableBillingMode", "PROVISIONED", "tableWriteCapacity", "5")),
                rejected("tablePointInTimeRecovery", "on", "tablePointInTimeRecovery: must be true or false"),
                rejected("tableDeletionProtection", "1", "tableDeletionProtection: must be true or false"),
                rejected("existingTableName", "sensor-readings",
                        "tableHashKey: must not be set together with existingTableName", Map.of("tableRangeKey", "")),
                // stream
                rejected("streamMode", "SHARDED", "streamMode: must be one of ON_DEMAND, PROVISIONED, got 'SHARDED'"),
                rejected("streamMode", "PROVISIONED", "streamShardCount: is required with streamMode PROVISIONED"),
                rejected("streamShardCount", "2", "streamShardCount: is only valid with streamMode PROVISIONED"),
                rejected("streamShardCount", "0", "streamShardCount: must be from 1 to 10000, got 0",
                        Map.of("streamMode", "PROVISIONED")),
                rejected("streamRetentionHours", "12", "streamRetentionHours: must be from 24 to 8760, got 12"),
                rejected("streamKmsKey", "alias/relay", "streamKmsKey: must be alias/aws/kinesis or a key ARN"),
                // existing stream
                rejected("existingStreamArn", "arn:aws:kinesis:eu-central-1:123456789012:stream/processor-changes",
                        "existingStreamArn: needs existingTableName: the stack adds no streaming destination, so only"
                                + " the table that already streams into this stream can feed it",
                        Map.of("cutOverTime", CUT_OVER_TIME)),
                rejected("existingStreamArn", "processor-changes", "existingStreamArn: must be a Kinesis stream ARN,"
                        + " arn:aws:kinesis:<region>:<account>:stream/<name>, got 'processor-changes'", EXISTING_STREAM),
                rejected("existingStreamArn", "arn:aws:kinesis:eu-central-1:123456789012:processor-changes",
                        "existingStreamArn: must be a Kinesis stream ARN", EXISTING_STREAM),
                rejected("existingStreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/processor-changes",
                        "existingStreamArn: is in region us-east-1 but the stack deploys to eu-central-1: an event"
                                + " source mapping reads only streams in the function's own region",
                        alsoSet(EXISTING_STREAM, "aws:region", "eu-central-1")),
                rejected("streamMode", "ON_DEMAND", "streamMode: must not be set together with existingStreamArn:"
                        + " the existing stream is used as it is, and its key is looked up", EXISTING_STREAM),
                rejected("streamKmsKey", "alias/aws/kinesis", "streamKmsKey: must not be set together with"
                        + " existingStreamArn", EXISTING_STREAM),
                rejected("streamRetentionHours", "24", "streamRetentionHours: must not be set together with"
                        + " existingStreamArn", EXISTING_STREAM),
                rejected("cutOverTime", null, "cutOverTime: is required with existingStreamArn: the moment this relay"
                        + " takes over from the stream's current consumer", EXISTING_STREAM),
                rejected("cutOverTime", "yesterday", "cutOverTime: must be an RFC 3339 time such as"
                        + " 2026-12-02T06:00:00Z, got 'yesterday'", EXISTING_STREAM),
                rejected("cutOverMarginMinutes", "1441", "cutOverMarginMinutes: must be from 0 to 1440, got 1441",
                        EXISTING_STREAM),
                rejected("startingPosition", "LATEST", "startingPosition: must not be set together with"
                        + " existingStreamArn: the mapping starts AT_TIMESTAMP, cutOverTime minus cutOverMarginMinutes",
                        EXISTING_STREAM),
                rejected("startingPositionTimestamp", "2026-12-02T06:00:00Z", "startingPositionTimestamp: must not be"
                        + " set together with existingStreamArn", EXISTING_STREAM),
                rejected("cutOverTime", CUT_OVER_TIME, "cutOverTime: is only valid with existingStreamArn"),
                rejected("cutOverMarginMinutes", "30", "cutOverMarginMinutes: is only valid with existingStreamArn"),
                // function
                rejected("functionMemoryMb", "64", "functionMemoryMb: must be from 128 to 10240, got 64"),
                rejected("functionTimeoutSeconds", "901", "functionTimeoutSeconds: must be from 1 to 900, got 901"),
                rejected("functionReservedConcurrency", "0", "functionReservedConcurrency: must be from 1 to 10000"),
                rejected("logRetentionDays", "10", "logRetentionDays: must be one of the periods CloudWatch Logs accepts"),
                rejected("logRetentionDays", "forever", "logRetentionDays: must be a whole number"),
                // VPC placement
                rejected("vpcSubnetIds", "subnet-0a1b2c3d",
                        "vpcSecurityGroupIds: is required with vpcSubnetIds: vpcSubnetIds and vpcSecurityGroupIds"
                                + " place the function in a VPC together, set both or neither"),
                rejected("vpcSecurityGroupIds", "sg-0a1b2c3d", "vpcSubnetIds: is required with vpcSecurityGroupIds"),
                rejected("vpcSubnetIds", "subnet-0a1b2c3d,vpc-0a1b2c3d",
                        "vpcSubnetIds: must be comma-separated subnet ids (subnet-0123abcd,...), got 'vpc-0a1b2c3d'",
                        Map.of("vpcSecurityGroupIds", "sg-0a1b2c3d")),
                rejected("vpcSubnetIds", "subnet-0a1b2c3d,", "vpcSubnetIds: must be comma-separated subnet ids",
                        Map.of("vpcSecurityGroupIds", "sg-0a1b2c3d")),
                rejected("vpcSecurityGroupIds", "default",
                        "vpcSecurityGroupIds: must be comma-separated security group ids (sg-0123abcd,...), got 'default'",
                        Map.of("vpcSubnetIds", "subnet-0a1b2c3d")),
                rejected("vpcSecurityGroupIds", "sg-0a1b2c3d,sg-0a1b2c3d", "vpcSecurityGroupIds: lists an id twice",
                        Map.of("vpcSubnetIds", "subnet-0a1b2c3d")),
                rejected("vpcSecurityGroupIds", "sg-00000001,sg-00000002,sg-00000003,sg-00000004,sg-00000005,sg-00000006",
                        "vpcSecurityGroupIds: may list at most 5 ids, got 6", Map.of("vpcSubnetIds", "subnet-0a1b2c3d")),
                // sink
                rejected("cratedbJdbcUrl", null, "cratedbJdbcUrl: is required"),
                rejected("cratedbJdbcUrl", "https://admin:hunter2@crate.example.com",
                        "cratedbJdbcUrl: must start with jdbc:postgresql:// or jdbc:crate://"),
                rejected("cratedbJdbcUrl", "jdbc:postgresql://crate:5432/doc?user=relay&password=hunter2",
                        "cratedbJdbcUrl: must not carry the password; set it separately"),
                rejected("cratedbJdbcUrl", "jdbc:postgresql://relay:hunter2@crate:5432/doc",
                        "cratedbJdbcUrl: must not carry credentials before the host (user:password@)"),
                rejected("cratedbTable", "we\"ird table", "cratedbTable: 'we\"ird table' contains '\"'; CrateDB refuses"),
                rejected("cratedbTable", "sys.readings", "cratedbTable: 'sys.readings' is in CrateDB's read-only schema sys"),
                rejected("attributeTypes", "count:INTEGER",
                        "attributeTypes: attribute 'count' has type 'INTEGER'; use TEXT, BIGINT, DOUBLE or BOOLEAN"),
                rejected("attributeTypes", "device:TEXT", "attributeTypes: 'device' is a key attribute"),
                rejected("cratedbUser", null, "cratedbUser: is required"),
                rejected("cratedbPassword", null, "cratedbPassword: is required"),
                rejected("cratedbTable", null, "cratedbTable: is required"),
                rejected("ttlDeletes", "drop", "ttlDeletes: must be one of delete, keep, got 'drop'"),
                rejected("sinkConnections", "9", "sinkConnections: must be from 1 to 8, got 9"),
                rejected("sinkConnections", "two", "sinkConnections: must be a whole number from 1 to 8, got 'two'"),
                rejected("passwordDelivery", "env",
                        "passwordDelivery: must be one of secretsmanager, environment, got 'env'"),
                rejected("passwordDelivery", "SecretsManager",
                        "passwordDelivery: must be one of secretsmanager, environment, got 'SecretsManager'"),
                rejected("passwordSecretRecoveryDays", "3",
                        "passwordSecretRecoveryDays: must be 0 (delete at once) or from 7 to 30, got 3"),
                rejected("passwordSecretRecoveryDays", "31", "passwordSecretRecoveryDays: must be from 0 to 30, got 31"),
                rejected("passwordSecretRecoveryDays", "7",
                        "passwordSecretRecoveryDays: is only valid with passwordDelivery secretsmanager",
                        Map.of("passwordDelivery", "environment")),
                // failures
                rejected("deadLetterPrefix", "/dead-letter/", "deadLetterPrefix: must be an S3 key prefix"),
                rejected("deadLetterPrefix", "dead-*/", "deadLetterPrefix: must be an S3 key prefix"),
                rejected("deadLetterExpirationDays", "0", "deadLetterExpirationDays: must be from 1 to 3650, got 0"),
                rejected("deadLetterForceDestroy", "sure", "deadLetterForceDestroy: must be true or false"),
                rejected("failureQueueRetentionDays", "15", "failureQueueRetentionDays: must be from 1 to 14, got 15"),
                // mapping
                rejected("batchSize", "0", "batchSize: must be from 1 to 10000, got 0"),
                rejected("batchSize", "10001", "batchSize: must be from 1 to 10000, got 10001"),
                rejected("batchSize", "ten", "batchSize: must be a whole number from 1 to 10000, got 'ten'"),
                rejected("maximumBatchingWindowSeconds", "301", "maximumBatchingWindowSeconds: must be from 0 to 300"),
                rejected("maximumBatchingWindowSeconds", "-1", "maximumBatchingWindowSeconds: must be from 0 to 300"),
                rejected("parallelizationFactor", "0", "parallelizationFactor: must be from 1 to 10, got 0"),
                rejected("parallelizationFactor", "11", "parallelizationFactor: must be from 1 to 10, got 11"),
                rejected("startingPosition", "EARLIEST",
                        "startingPosition: must be one of TRIM_HORIZON, LATEST, AT_TIMESTAMP, got 'EARLIEST'"),
                rejected("startingPosition", "AT_TIMESTAMP",
                        "startingPositionTimestamp: is required with startingPosition AT_TIMESTAMP"),
                rejected("startingPositionTimestamp", "yesterday", "startingPositionTimestamp: must be an RFC 3339 time",
                        Map.of("startingPosition", "AT_TIMESTAMP")),
                rejected("startingPositionTimestamp", "2024-07-12T01:17:42Z",
                        "startingPositionTimestamp: is only valid with startingPosition AT_TIMESTAMP"),
                rejected("maximumRetryAttempts", "-1", "maximumRetryAttempts: must be from 0 to 10000, got -1"),
                rejected("maximumRecordAgeSeconds", "-1", "maximumRecordAgeSeconds: must be from 60 to 604800, got -1"),
                rejected("maximumRecordAgeSeconds", "172800",
                        "maximumRecordAgeSeconds: 172800 exceeds the stream's retention of 86400 s"),
                // alarms
                rejected("alarmEmail", "oncall", "alarmEmail: must be an e-mail address, got 'oncall'"),
                rejected("alarmTopicArn", "platform-alarms", "alarmTopicArn: must be an SNS topic ARN"),
                rejected("alarmEmail", "oncall@example.com", "alarmEmail: and alarmTopicArn are exclusive",
                        Map.of("alarmTopicArn", "arn:aws:sns:eu-central-1:123456789012:platform-alarms")),
                rejected("alarmIteratorAgeMs", "0", "alarmIteratorAgeMs: must be from 1000 to 604800000, got 0"),
                rejected("alarmErrorsThreshold", "0", "alarmErrorsThreshold: must be from 1 to 100000, got 0"),
                rejected("alarmFailureQueueThreshold", "many", "alarmFailureQueueThreshold: must be a whole number"),
                rejected("alarmReplicationLagMs", "500", "alarmReplicationLagMs: must be from 1000 to 604800000, got 500"),
                rejected("functionLogLevel", "WARN", "functionLogLevel: must keep INFO lines (TRACE, DEBUG or INFO),"
                        + " got 'WARN': the function's metrics are an INFO line to Lambda, and would be dropped with it"),
                rejected("functionLogLevel", "info", "functionLogLevel: must be one of TRACE, DEBUG, INFO, got 'info'"),
                // backfill
                rejected("backfill.enabled", "yes", "backfill.enabled: must be true or false, got 'yes'"),
                rejected("backfill.maxConcurrency", "0", "backfill.maxConcurrency: must be from 1 to 100, got 0"),
                rejected("backfill.maxConcurrency", "101", "backfill.maxConcurrency: must be from 1 to 100, got 101"),
                rejected("backfill.maxConcurrency", "four",
                        "backfill.maxConcurrency: must be a whole number from 1 to 100, got 'four'"),
                rejected("backfill.memoryMb", "64", "backfill.memoryMb: must be from 128 to 10240, got 64"),
                rejected("backfill.exportExpirationDays", "0",
                        "backfill.exportExpirationDays: must be from 1 to 3650, got 0"),
                // Invalid while disabled too: a typo would otherwise surface only when it is turned on.
                rejected("backfill.memoryMb", "lots", "backfill.memoryMb: must be a whole number from 128 to 10240,"
                        + " got 'lots'", Map.of("backfill.enabled", "false")),
                rejected("backfill", "{\"enabled\":false}", "backfill: is an object (set with --path); set each key"
                        + " as it is written, without --path"));
    }

    @Test
    void passwordDeliveryAndRecoveryWindow() {
        assertEquals(new PasswordSettings(PasswordDelivery.ENVIRONMENT, 7),
                only(parse(with(NEW_TABLE, "passwordDelivery", "environment"))).sink().password());
        assertEquals(new PasswordSettings(PasswordDelivery.SECRETSMANAGER, 0),
                only(parse(with(NEW_TABLE, "passwordDelivery", "secretsmanager", "passwordSecretRecoveryDays", "0"))).sink().password());
        assertEquals(30, only(parse(with(NEW_TABLE, "passwordSecretRecoveryDays", "30"))).sink().password()
                .secretRecoveryDays());
    }

    @Test
    void jdbcUrlProblemNeverEchoesTheUrl() {
        var invalid = assertThrows(InvalidConfigException.class,
                () -> parse(with(NEW_TABLE, "cratedbJdbcUrl", "https://admin:hunter2@crate.example.com")));
        assertFalse(invalid.getMessage().contains("hunter2"));
    }

    @Test
    void derivedPrefixThatIsTooLongAsksForNamePrefix() {
        var invalid = assertThrows(InvalidConfigException.class, () -> RelayStackConfig.from(
                MapConfigSource.of(NEW_TABLE, SECRET_KEYS), "dynamodb-cdc-relay", "production-eu-central"));
        assertEquals(1, invalid.problems().size());
        assertTrue(invalid.problems().get(0).startsWith("namePrefix: 'dynamodb-cdc-relay-production-eu-central'"));
        assertTrue(invalid.problems().get(0).endsWith("(derived from project and stack name); set a shorter one"));
    }

    /** What a row of an existing-stream rule also sets: the existing table and stream, cut over at a valid time. */
    private static final Map<String, String> EXISTING_STREAM = Map.of("tableHashKey", "", "tableRangeKey", "",
            "existingTableName", "sensor-readings",
            "existingStreamArn", "arn:aws:kinesis:eu-central-1:123456789012:stream/processor-changes",
            "cutOverTime", CUT_OVER_TIME);

    private static Map<String, String> alsoSet(Map<String, String> base, String key, String value) {
        var merged = new HashMap<>(base);
        merged.put(key, value);
        return merged;
    }

    private static Arguments rejected(String key, String value, String expectedProblem) {
        return rejected(key, value, expectedProblem, Map.of());
    }

    private static Arguments rejected(String key, String value, String expectedProblem, Map<String, String> alsoSet) {
        return arguments(key, value, expectedProblem, alsoSet);
    }

    /** Empty values in {@code alsoSet} remove the key. */
    private static String[] flatten(Map<String, String> alsoSet) {
        return alsoSet.entrySet().stream()
                .flatMap(entry -> Stream.of(entry.getKey(), entry.getValue().isEmpty() ? null : entry.getValue()))
                .toArray(String[]::new);
    }
}
