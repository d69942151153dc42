package dev.cdcrelay.stack.config;

/** Every config key the stack reads (project namespace). docs/configuration.md has the reference table. */
public final class ConfigKeys {

    public static final String NAME_PREFIX = "namePrefix";

    public static final String ARCHITECTURE = "architecture";
    public static final String ECR_KEEP_IMAGES = "ecrKeepImages";
    public static final String ECR_PUBLIC_PULL = "ecrPublicPull";
    public static final String IMAGE_URI = "imageUri";

    /**
     * The tables one stack relays: a list of entries (structured config), each with a {@code name} and the
     * per-table keys of {@link TablesConfig#ENTRY_KEYS}. Unset, the single-table keys describe one relay.
     */
    public static final String TABLES = "tables";

    public static final String EXISTING_TABLE_NAME = "existingTableName";
    public static final String TABLE_HASH_KEY = "tableHashKey";
    public static final String TABLE_HASH_KEY_TYPE = "tableHashKeyType";
    public static final String TABLE_RANGE_KEY = "tableRangeKey";
    public static final String TABLE_RANGE_KEY_TYPE = "tableRangeKeyType";
    public static final String TABLE_BILLING_MODE = "tableBillingMode";
    public static final String TABLE_READ_CAPACITY = "tableReadCapacity";
    public static final String TABLE_WRITE_CAPACITY = "tableWriteCapacity";
    public static final String TABLE_POINT_IN_TIME_RECOVERY = "tablePointInTimeRecovery";
    public static final String TABLE_DELETION_PROTECTION = "tableDeletionProtection";

    public static final String STREAM_MODE = "streamMode";
    public static final String STREAM_SHARD_COUNT = "streamShardCount";
    public static final String STREAM_RETENTION_HOURS = "streamRetentionHours";
    public static final String STREAM_KMS_KEY = "streamKmsKey";
    public static final String EXISTING_STREAM_ARN = "existingStreamArn";
    public static final String CUT_OVER_TIME = "cutOverTime";
    public static final String CUT_OVER_MARGIN_MINUTES = "cutOverMarginMinutes";

    public static final String FUNCTION_MEMORY_MB = "functionMemoryMb";
    public static final String FUNCTION_TIMEOUT_SECONDS = "functionTimeoutSeconds";
    public static final String FUNCTION_RESERVED_CONCURRENCY = "functionReservedConcurrency";
    public static final String LOG_RETENTION_DAYS = "logRetentionDays";
    public static final String FUNCTION_LOG_LEVEL = "functionLogLevel";
    public static final String VPC_SUBNET_IDS = "vpcSubnetIds";
    public static final String VPC_SECURITY_GROUP_IDS = "vpcSecurityGroupIds";

    public static final String CRATEDB_JDBC_URL = "cratedbJdbcUrl";
    public static final String CRATEDB_USER = "cratedbUser";
    public static final String CRATEDB_PASSWORD = "cratedbPassword";
    public static final String PASSWORD_DELIVERY = "passwordDelivery";
    public static final String PASSWORD_SECRET_RECOVERY_DAYS = "passwordSecretRecoveryDays";
    public static final String CRATEDB_TABLE = "cratedbTable";
    public static final String TTL_DELETES = "ttlDeletes";
    public static final String ATTRIBUTE_TYPES = "attributeTypes";
    public static final String SINK_CONNECTIONS = "sinkConnections";

    public static final String DEAD_LETTER_PREFIX = "deadLetterPrefix";
    public static final String DEAD_LETTER_EXPIRATION_DAYS = "deadLetterExpirationDays";
    public static final String DEAD_LETTER_FORCE_DESTROY = "deadLetterForceDestroy";
    public static final String FAILURE_QUEUE_RETENTION_DAYS = "failureQueueRetentionDays";

    public static final String BATCH_SIZE = "batchSize";
    public static final String MAXIMUM_BATCHING_WINDOW_SECONDS = "maximumBatchingWindowSeconds";
    public static final String PARALLELIZATION_FACTOR = "parallelizationFactor";
    public static final String STARTING_POSITION = "startingPosition";
    public static final String STARTING_POSITION_TIMESTAMP = "startingPositionTimestamp";
    public static final String MAXIMUM_RETRY_ATTEMPTS = "maximumRetryAttempts";
    public static final String MAXIMUM_RECORD_AGE_SECONDS = "maximumRecordAgeSeconds";

    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String ALARM_TOPIC_ARN = "alarmTopicArn";
    public static final String ALARM_ITERATOR_AGE_MS = "alarmIteratorAgeMs";
    public static final String ALARM_ERRORS_THRESHOLD = "alarmErrorsThreshold";
    public static final String ALARM_FAILURE_QUEUE_THRESHOLD = "alarmFailureQueueThreshold";
    public static final String ALARM_REPLICATION_LAG_MS = "alarmReplicationLagMs";

    /**
     * The backfill's keys are stack-wide and dotted, set as they are written ({@code pulumi config set
     * backfill.maxConcurrency 8}, without {@code --path}); docs/backfill.md describes what they provision.
     */
    public static final String BACKFILL_ENABLED = "backfill.enabled";
    public static final String BACKFILL_MAX_CONCURRENCY = "backfill.maxConcurrency";
    public static final String BACKFILL_MEMORY_MB = "backfill.memoryMb";
    public static final String BACKFILL_EXPORT_EXPIRATION_DAYS = "backfill.exportExpirationDays";

    private ConfigKeys() {
    }
}
