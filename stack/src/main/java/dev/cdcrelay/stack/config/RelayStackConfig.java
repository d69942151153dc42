package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.EnvReader;
import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.TtlDeletes;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.cdcrelay.stack.config.ConfigKeys.*;

/**
 * The validated, immutable settings of one relay stack. {@link #from} checks everything before a
 * single resource is declared and reports every problem at once, each naming its config key.
 * Secrets are checked here (present, stored encrypted) but not kept: they stay Pulumi secrets.
 *
 * @param tables   the relayed tables, in config order: the entries of {@code tables}, or the one table the
 *                 single-table keys describe
 * @param password how every table's function gets the CrateDB password (one secret per stack)
 * @param failures the stack's dead-letter bucket and failure queue; each table writes under its own
 *                 prefix ({@link TableRelaySettings#failures()})
 * @param backfill what every table's backfill is given; empty with {@code backfill.enabled false}, when
 *                 the stack declares no backfill at all
 */
public record RelayStackConfig(String namePrefix, ImageSettings image, List<TableRelaySettings> tables,
                               FunctionSettings function, PasswordSettings password, FailureSettings failures,
                               AlarmSettings alarms, Optional<VpcSettings> vpc, Optional<BackfillSettings> backfill) {

    /** CloudWatch Logs accepts only these retention periods. */
    public static final Set<Integer> LOG_RETENTION_DAYS_ALLOWED = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
            365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern KMS_KEY_ARN =
            Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");
    private static final Pattern SNS_TOPIC_ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]+");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** An ECR image by digest and without tag; group 2 is the registry's region. */
    private static final Pattern ECR_IMAGE_BY_DIGEST = Pattern.compile("(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)"
            + "\\.amazonaws\\.com(?:\\.cn)?/(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
            + "@sha256:[0-9a-f]{64}");
    /** A Kinesis stream ARN; group 1 is its region. */
    private static final Pattern KINESIS_STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/[A-Za-z0-9_.-]{1,128}");

    /** Structured config would hide the backfill keys: `--path backfill.enabled` stores an object under this key. */
    private static final String BACKFILL_OBJECT = "backfill";

    /** How far before the cut-over time a mapping on an existing stream starts, unless configured. */
    public static final int DEFAULT_CUT_OVER_MARGIN_MINUTES = 15;

    public RelayStackConfig {
        Objects.requireNonNull(namePrefix);
        Objects.requireNonNull(image);
        tables = List.copyOf(tables);
        Objects.requireNonNull(function);
        Objects.requireNonNull(password);
        Objects.requireNonNull(failures);
        Objects.requireNonNull(alarms);
        Objects.requireNonNull(vpc);
        Objects.requireNonNull(backfill);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a relay stack relays at least one table");
        }
    }

    /** Whether the stack was configured with {@code tables} (named entries) rather than the single-table keys. */
    public boolean namedTables() {
        return tables.get(0).name().isPresent();
    }

    /**
     * Reads and validates the whole configuration.
     *
     * @throws InvalidConfigException listing every problem found
     */
    public static RelayStackConfig from(ConfigSource source, String projectName, String stackName) {
        var in = new ConfigReader(source);
        var namePrefix = NamePrefix.read(in, projectName, stackName);
        var image = readImage(in);
        var function = readFunction(in);
        var password = readCredentials(in);
        var failures = readFailures(in);
        var tables = TablesConfig.read(in, source, namePrefix, (tableIn, name, naming) ->
                readTableRelay(tableIn, name, naming, password, failures));
        if (image.source() instanceof ImageSettings.Build && tables.size() > TablesConfig.MAX_TABLES_WITH_OWN_IMAGE) {
            in.problem(TABLES, "lists " + tables.size() + " tables; a stack that builds its image relays at most "
                    + TablesConfig.MAX_TABLES_WITH_OWN_IMAGE + ": the repository policy names every function, and ECR"
                    + " policies stop at 10,240 characters (split the tables over stacks, or set " + IMAGE_URI + ")");
        }
        var alarms = readAlarms(in);
        var vpc = readVpc(in);
        var backfill = readBackfill(in);
        if (backfill.isPresent() && image.source() instanceof ImageSettings.Build
                && tables.size() > TablesConfig.MAX_TABLES_WITH_OWN_IMAGE / 2
                && tables.size() <= TablesConfig.MAX_TABLES_WITH_OWN_IMAGE) {
            in.problem(BACKFILL_ENABLED, "is true for " + tables.size() + " tables; a stack that builds its image"
                    + " and backfills relays at most " + TablesConfig.MAX_TABLES_WITH_OWN_IMAGE / 2 + ": each table"
                    + " then has two functions in the repository policy, and ECR policies stop at 10,240 characters"
                    + " (set " + BACKFILL_ENABLED + " false, split the tables over stacks, or set " + IMAGE_URI + ")");
        }
        in.throwIfProblems();
        return new RelayStackConfig(namePrefix, image, tables, function, password, failures, alarms, vpc, backfill);
    }

    private static Optional<BackfillSettings> readBackfill(ConfigReader in) {
        if (in.isSet(BACKFILL_OBJECT)) {
            in.problem(BACKFILL_OBJECT, "is an object (set with --path); set each key as it is written, without"
                    + " --path, e.g. pulumi config set " + BACKFILL_MAX_CONCURRENCY + " 8");
        }
        // Read and checked even when disabled: Pulumi.yaml's defaults put them in every stack.
        var enabled = in.bool(BACKFILL_ENABLED, true);
        var settings = new BackfillSettings(
                in.integer(BACKFILL_MAX_CONCURRENCY, BackfillSettings.DEFAULT_MAX_CONCURRENCY, 1,
                        BackfillSettings.MAX_CONCURRENCY),
                in.integer(BACKFILL_MEMORY_MB, BackfillSettings.DEFAULT_MEMORY_MB, 128, 10_240),
                in.integer(BACKFILL_EXPORT_EXPIRATION_DAYS, BackfillSettings.DEFAULT_EXPORT_EXPIRATION_DAYS, 1, 3650));
        return enabled ? Optional.of(settings) : Optional.empty();
    }

    /**
     * One table's settings, from the single-table keys or from one entry of {@code tables} ({@code in} then
     * reads that entry, and the stack's keys as they are, and names the entry in every problem about one of
     * its keys). The function's rules then check the environment this table's function is given.
     */
    static TableRelaySettings readTableRelay(ConfigReader in, Optional<String> name, TableRelaySettings.Naming naming,
                                             PasswordSettings password, FailureSettings stackFailures) {
        var table = readTable(in);
        var stream = readStream(in);
        var sink = readSinkTable(in, password);
        var mapping = readMapping(in, stream);
        // Each named table writes under its own prefix, so its role can be held to its own dead letters.
        var failures = name.map(entry -> stackFailures.underPrefix(stackFailures.deadLetterPrefix() + entry + "/"))
                .orElse(stackFailures);
        FunctionEnvironment.check(in, table, sink, failures);
        return new TableRelaySettings(name, naming, table, stream, sink, failures, mapping);
    }

    private static ImageSettings readImage(ConfigReader in) {
        var architecture = in.oneOf(ARCHITECTURE, Architecture.class, Architecture.X86_64);
        var imageUri = in.optionalString(IMAGE_URI);
        if (imageUri.isEmpty()) {
            return new ImageSettings(architecture, new ImageSettings.Build(
                    in.integer(ECR_KEEP_IMAGES, 10, 1, 1000), in.bool(ECR_PUBLIC_PULL, true)));
        }
        // With a prebuilt image the stack owns no repository, so its repository settings would do nothing.
        exclude(in, IMAGE_URI, "the stack then builds no image and creates no repository", ECR_KEEP_IMAGES,
                ECR_PUBLIC_PULL);
        var image = ECR_IMAGE_BY_DIGEST.matcher(imageUri.get());
        if (!image.matches()) {
            in.problem(IMAGE_URI, "must be an ECR image by digest, <account>.dkr.ecr.<region>.amazonaws.com/"
                    + "<repository>@sha256:<64 hex digits> (no tag), got '" + imageUri.get() + "'");
        } else {
            requireDeploymentRegion(in, IMAGE_URI, image.group(2),
                    "Lambda pulls images only from ECR in the function's own region");
        }
        return new ImageSettings(architecture, new ImageSettings.Prebuilt(imageUri.get()));
    }

    private static TableSettings readTable(ConfigReader in) {
        var existingName = in.optionalString(EXISTING_TABLE_NAME);
        if (existingName.isPresent()) {
            // One source of truth for the key schema: the existing table itself, read at deploy time.
            for (var ownTableKey : new String[] {TABLE_HASH_KEY, TABLE_HASH_KEY_TYPE, TABLE_RANGE_KEY,
                    TABLE_RANGE_KEY_TYPE, TABLE_BILLING_MODE, TABLE_READ_CAPACITY, TABLE_WRITE_CAPACITY,
                    TABLE_POINT_IN_TIME_RECOVERY, TABLE_DELETION_PROTECTION}) {
                if (in.isSet(ownTableKey)) {
                    in.problem(ownTableKey, "must not be set together with " + EXISTING_TABLE_NAME
                            + ": the existing table is never changed and its key schema is read from it");
                }
            }
            return new TableSettings.ExistingTable(existingName.get());
        }
        var hashKey = new KeyAttribute(
                in.requiredString(TABLE_HASH_KEY, "name the table's partition key, or set " + EXISTING_TABLE_NAME),
                in.oneOf(TABLE_HASH_KEY_TYPE, KeyType.class, KeyType.S));
        var rangeKey = in.optionalString(TABLE_RANGE_KEY)
                .map(name -> new KeyAttribute(name, in.oneOf(TABLE_RANGE_KEY_TYPE, KeyType.class, KeyType.S)));
        if (rangeKey.isEmpty() && in.isSet(TABLE_RANGE_KEY_TYPE)) {
            in.problem(TABLE_RANGE_KEY_TYPE, "is set but " + TABLE_RANGE_KEY + " is not");
        }
        if (rangeKey.isPresent() && rangeKey.get().name().equals(hashKey.name())) {
            in.problem(TABLE_RANGE_KEY, "must differ from " + TABLE_HASH_KEY);
        }
        var billingMode = in.oneOf(TABLE_BILLING_MODE, BillingMode.class, BillingMode.PAY_PER_REQUEST);
        var read = in.optionalInteger(TABLE_READ_CAPACITY, 1, 40_000);
        var write = in.optionalInteger(TABLE_WRITE_CAPACITY, 1, 40_000);
        Optional<TableSettings.Capacity> capacity = Optional.empty();
        if (billingMode == BillingMode.PROVISIONED) {
            requireSetFor(in, TABLE_READ_CAPACITY, TABLE_BILLING_MODE + " PROVISIONED");
            requireSetFor(in, TABLE_WRITE_CAPACITY, TABLE_BILLING_MODE + " PROVISIONED");
            capacity = Optional.of(new TableSettings.Capacity(read.orElse(1), write.orElse(1)));
        } else {
            forbidSetWith(in, TABLE_READ_CAPACITY, TABLE_BILLING_MODE + " PROVISIONED");
            forbidSetWith(in, TABLE_WRITE_CAPACITY, TABLE_BILLING_MODE + " PROVISIONED");
        }
        return new TableSettings.NewTable(new KeySchema(hashKey, rangeKey), billingMode, capacity,
                in.bool(TABLE_POINT_IN_TIME_RECOVERY, true), in.bool(TABLE_DELETION_PROTECTION, false));
    }

    private static StreamSettings readStream(ConfigReader in) {
        var existingArn = in.optionalString(EXISTING_STREAM_ARN);
        if (existingArn.isPresent()) {
            return readExistingStream(in, existingArn.get());
        }
        var mode = in.oneOf(STREAM_MODE, StreamMode.class, StreamMode.ON_DEMAND);
        var shardCount = in.optionalInteger(STREAM_SHARD_COUNT, 1, 10_000);
        if (mode == StreamMode.PROVISIONED) {
            requireSetFor(in, STREAM_SHARD_COUNT, STREAM_MODE + " PROVISIONED");
        } else {
            forbidSetWith(in, STREAM_SHARD_COUNT, STREAM_MODE + " PROVISIONED");
            shardCount = OptionalInt.empty();
        }
        var kmsKey = in.string(STREAM_KMS_KEY, StreamSettings.AWS_MANAGED_KEY);
        if (!kmsKey.equals(StreamSettings.AWS_MANAGED_KEY) && !KMS_KEY_ARN.matcher(kmsKey).matches()) {
            in.problem(STREAM_KMS_KEY, "must be " + StreamSettings.AWS_MANAGED_KEY + " or a key ARN"
                    + " (arn:aws:kms:<region>:<account>:key/<id>; an alias cannot be granted kms:Decrypt), got '"
                    + kmsKey + "'");
        }
        return new StreamSettings.NewStream(mode, shardCount, in.integer(STREAM_RETENTION_HOURS, 24, 24, 8760),
                kmsKey);
    }

    private static StreamSettings readExistingStream(ConfigReader in, String arn) {
        exclude(in, EXISTING_STREAM_ARN, "the existing stream is used as it is, and its key is looked up",
                STREAM_MODE, STREAM_SHARD_COUNT, STREAM_RETENTION_HOURS, STREAM_KMS_KEY);
        if (!in.isSet(EXISTING_TABLE_NAME)) {
            in.problem(EXISTING_STREAM_ARN, "needs " + EXISTING_TABLE_NAME + ": the stack adds no streaming"
                    + " destination, so only the table that already streams into this stream can feed it");
        }
        var stream = KINESIS_STREAM_ARN.matcher(arn);
        if (!stream.matches()) {
            in.problem(EXISTING_STREAM_ARN, "must be a Kinesis stream ARN,"
                    + " arn:aws:kinesis:<region>:<account>:stream/<name>, got '" + arn + "'");
        } else {
            requireDeploymentRegion(in, EXISTING_STREAM_ARN, stream.group(1),
                    "an event source mapping reads only streams in the function's own region");
        }
        return new StreamSettings.ExistingStream(arn);
    }

    private static FunctionSettings readFunction(ConfigReader in) {
        var logRetentionDays = in.integer(LOG_RETENTION_DAYS, 30, 1, 3653);
        if (!LOG_RETENTION_DAYS_ALLOWED.contains(logRetentionDays)) {
            in.problem(LOG_RETENTION_DAYS, "must be one of the periods CloudWatch Logs accepts "
                    + LOG_RETENTION_DAYS_ALLOWED.stream().sorted().toList() + ", got " + logRetentionDays);
        }
        return new FunctionSettings(
                in.integer(FUNCTION_MEMORY_MB, 1024, 128, 10_240),
                in.integer(FUNCTION_TIMEOUT_SECONDS, 60, 1, 900),
                in.optionalInteger(FUNCTION_RESERVED_CONCURRENCY, 1, 10_000),
                logRetentionDays,
                readLogLevel(in));
    }

    private static ApplicationLogLevel readLogLevel(ConfigReader in) {
        var raw = in.optionalString(FUNCTION_LOG_LEVEL);
        if (raw.filter(level -> Set.of("WARN", "ERROR", "FATAL").contains(level)).isPresent()) {
            in.problem(FUNCTION_LOG_LEVEL, "must keep INFO lines (TRACE, DEBUG or INFO), got '" + raw.get()
                    + "': the function's metrics are an INFO line to Lambda, and would be dropped with it");
            return ApplicationLogLevel.INFO;
        }
        return in.oneOf(FUNCTION_LOG_LEVEL, ApplicationLogLevel.class, ApplicationLogLevel.INFO);
    }

    /** The credentials every table's function logs in with: checked here, kept only as Pulumi secrets. */
    private static PasswordSettings readCredentials(ConfigReader in) {
        // Presence only: the rules of the URL, the table and the rest are the function's (FunctionEnvironment.check).
        in.requiredString(CRATEDB_JDBC_URL,
                "pulumi config set --secret " + CRATEDB_JDBC_URL + " jdbc:postgresql://<host>:5432/doc");
        in.requiredString(CRATEDB_USER, "pulumi config set --secret " + CRATEDB_USER + " <user>");
        in.requiredString(CRATEDB_PASSWORD, "pulumi config set --secret " + CRATEDB_PASSWORD + " <password>");
        in.requireStoredAsSecret(CRATEDB_PASSWORD);
        return readPassword(in);
    }

    /** What one table's function writes to. */
    private static SinkSettings readSinkTable(ConfigReader in, PasswordSettings password) {
        return new SinkSettings(
                in.requiredString(CRATEDB_TABLE, "name the CrateDB table the relay writes, e.g. doc.readings"),
                // A value the function refuses is reported by FunctionEnvironment.check, which sees it as written.
                in.optionalString(TTL_DELETES).flatMap(value -> EnvReader.spelledAs(TtlDeletes.class, value))
                        .orElseGet(() -> EnvReader.defaultOf(EnvVar.RELAY_TTL_DELETES, TtlDeletes.class)),
                in.optionalString(ATTRIBUTE_TYPES),
                in.optionalString(SINK_CONNECTIONS).flatMap(RelayStackConfig::wholeNumber)
                        .orElseGet(() -> Integer.parseInt(EnvVar.RELAY_SINK_CONNECTIONS.defaultValue().orElseThrow())),
                password);
    }

    /** A whole number as written, or empty (FunctionEnvironment.check reports what is wrong with it). */
    private static Optional<Integer> wholeNumber(String value) {
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static PasswordSettings readPassword(ConfigReader in) {
        var delivery = in.oneOf(PASSWORD_DELIVERY, PasswordDelivery.class, PasswordDelivery.SECRETSMANAGER);
        if (delivery != PasswordDelivery.SECRETSMANAGER) {
            forbidSetWith(in, PASSWORD_SECRET_RECOVERY_DAYS, PASSWORD_DELIVERY + " "
                    + PasswordDelivery.SECRETSMANAGER.configValue());
            return new PasswordSettings(delivery, PasswordSettings.DEFAULT_SECRET_RECOVERY_DAYS);
        }
        // Secrets Manager takes 0 (delete at once) or a recovery window of 7 to 30 days.
        int recoveryDays = in.integer(PASSWORD_SECRET_RECOVERY_DAYS, PasswordSettings.DEFAULT_SECRET_RECOVERY_DAYS,
                0, 30);
        if (recoveryDays > 0 && recoveryDays < 7) {
            in.problem(PASSWORD_SECRET_RECOVERY_DAYS, "must be 0 (delete at once) or from 7 to 30, got "
                    + recoveryDays);
            recoveryDays = PasswordSettings.DEFAULT_SECRET_RECOVERY_DAYS;
        }
        return new PasswordSettings(delivery, recoveryDays);
    }

    private static FailureSettings readFailures(ConfigReader in) {
        // The role may write only below the prefix, so the stack needs it: the function's default when unset.
        // Its rules are the function's (FunctionEnvironment.check); blanks matter, so it is read as stored.
        var prefix = in.raw(DEAD_LETTER_PREFIX).orElseGet(() -> EnvVar.RELAY_DEAD_LETTER_PREFIX.defaultValue().orElseThrow());
        return new FailureSettings(prefix,
                in.integer(DEAD_LETTER_EXPIRATION_DAYS, 30, 1, 3650),
                in.bool(DEAD_LETTER_FORCE_DESTROY, false),
                in.integer(FAILURE_QUEUE_RETENTION_DAYS, 14, 1, 14));
    }

    private static MappingSettings readMapping(ConfigReader in, StreamSettings stream) {
        var start = stream instanceof StreamSettings.NewStream ? readStartingPosition(in) : readCutOverStart(in);
        int maximumRecordAgeSeconds = in.integer(MAXIMUM_RECORD_AGE_SECONDS, 86_400, 60, 604_800);
        // An existing stream's retention is known only once it is looked up; ChangeStream checks it then.
        if (stream instanceof StreamSettings.NewStream own && maximumRecordAgeSeconds > own.retentionHours() * 3600) {
            in.problem(MAXIMUM_RECORD_AGE_SECONDS, maximumRecordAgeSeconds + " exceeds the stream's retention of "
                    + own.retentionHours() * 3600 + " s (" + STREAM_RETENTION_HOURS
                    + "): records would expire unreported");
        }
        return new MappingSettings(
                in.integer(BATCH_SIZE, 1_000, 1, 10_000),
                in.integer(MAXIMUM_BATCHING_WINDOW_SECONDS, 1, 0, 300),
                in.integer(PARALLELIZATION_FACTOR, 1, 1, 10),
                start.position(), start.timestamp(),
                in.integer(MAXIMUM_RETRY_ATTEMPTS, 10, 0, 10_000),
                maximumRecordAgeSeconds);
    }

    /** Where a mapping starts reading; the timestamp is present exactly with AT_TIMESTAMP. */
    private record Start(StartingPosition position, Optional<String> timestamp) {
    }

    private static Start readStartingPosition(ConfigReader in) {
        forbidSetWith(in, CUT_OVER_TIME, EXISTING_STREAM_ARN);
        forbidSetWith(in, CUT_OVER_MARGIN_MINUTES, EXISTING_STREAM_ARN);
        var startingPosition = in.oneOf(STARTING_POSITION, StartingPosition.class, StartingPosition.TRIM_HORIZON);
        var timestamp = in.optionalString(STARTING_POSITION_TIMESTAMP);
        if (startingPosition != StartingPosition.AT_TIMESTAMP) {
            forbidSetWith(in, STARTING_POSITION_TIMESTAMP, STARTING_POSITION + " AT_TIMESTAMP");
            return new Start(startingPosition, Optional.empty());
        }
        requireSetFor(in, STARTING_POSITION_TIMESTAMP, STARTING_POSITION + " AT_TIMESTAMP");
        timestamp.ifPresent(value -> {
            try {
                OffsetDateTime.parse(value);
            } catch (DateTimeParseException notRfc3339) {
                in.problem(STARTING_POSITION_TIMESTAMP,
                        "must be an RFC 3339 time such as 2024-07-12T01:17:42Z, got '" + value + "'");
            }
        });
        return new Start(startingPosition, timestamp);
    }

    /**
     * On a stream another consumer has been reading, the mapping starts at the cut-over time minus a
     * margin: whatever the old consumer had not yet applied when it stopped is read again (applying a
     * change twice is harmless), and nothing falls between the two.
     */
    private static Start readCutOverStart(ConfigReader in) {
        exclude(in, EXISTING_STREAM_ARN, "the mapping starts AT_TIMESTAMP, " + CUT_OVER_TIME + " minus "
                + CUT_OVER_MARGIN_MINUTES, STARTING_POSITION, STARTING_POSITION_TIMESTAMP);
        int marginMinutes = in.integer(CUT_OVER_MARGIN_MINUTES, DEFAULT_CUT_OVER_MARGIN_MINUTES, 0, 1440);
        var cutOver = in.optionalString(CUT_OVER_TIME);
        if (cutOver.isEmpty()) {
            in.problem(CUT_OVER_TIME, "is required with " + EXISTING_STREAM_ARN + ": the moment this relay takes"
                    + " over from the stream's current consumer, e.g. pulumi config set " + CUT_OVER_TIME
                    + " $(date -u +%Y-%m-%dT%H:%M:%SZ)");
            return new Start(StartingPosition.AT_TIMESTAMP, Optional.empty());
        }
        try {
            var start = OffsetDateTime.parse(cutOver.get()).toInstant().minus(Duration.ofMinutes(marginMinutes));
            return new Start(StartingPosition.AT_TIMESTAMP, Optional.of(start.toString()));
        } catch (DateTimeParseException notRfc3339) {
            in.problem(CUT_OVER_TIME, "must be an RFC 3339 time such as 2026-12-02T06:00:00Z, got '"
                    + cutOver.get() + "'");
            return new Start(StartingPosition.AT_TIMESTAMP, Optional.empty());
        }
    }

    private static AlarmSettings readAlarms(ConfigReader in) {
        var email = in.optionalString(ALARM_EMAIL);
        var topicArn = in.optionalString(ALARM_TOPIC_ARN);
        if (email.isPresent() && topicArn.isPresent()) {
            in.problem(ALARM_EMAIL, "and " + ALARM_TOPIC_ARN + " are exclusive: set one (a new topic for the address)"
                    + " or the other (an existing topic)");
        }
        email.filter(address -> !EMAIL.matcher(address).matches())
                .ifPresent(address -> in.problem(ALARM_EMAIL, "must be an e-mail address, got '" + address + "'"));
        topicArn.filter(arn -> !SNS_TOPIC_ARN.matcher(arn).matches())
                .ifPresent(arn -> in.problem(ALARM_TOPIC_ARN, "must be an SNS topic ARN, got '" + arn + "'"));
        return new AlarmSettings(email, topicArn,
                in.integer(ALARM_ITERATOR_AGE_MS, 300_000, 1_000, 604_800_000),
                in.integer(ALARM_ERRORS_THRESHOLD, 1, 1, 100_000),
                in.integer(ALARM_FAILURE_QUEUE_THRESHOLD, 1, 1, 100_000),
                in.integer(ALARM_REPLICATION_LAG_MS, 300_000, 1_000, 604_800_000));
    }

    private static Optional<VpcSettings> readVpc(ConfigReader in) {
        // Lambda's limits for a function's VPC configuration: 16 subnets, 5 security groups.
        var subnetIds = idList(in, VPC_SUBNET_IDS, SUBNET_ID, "subnet ids (subnet-0123abcd,...)", 16);
        var securityGroupIds = idList(in, VPC_SECURITY_GROUP_IDS, SECURITY_GROUP_ID,
                "security group ids (sg-0123abcd,...)", 5);
        if (subnetIds.isEmpty() != securityGroupIds.isEmpty()) {
            var missing = subnetIds.isEmpty() ? VPC_SUBNET_IDS : VPC_SECURITY_GROUP_IDS;
            var present = subnetIds.isEmpty() ? VPC_SECURITY_GROUP_IDS : VPC_SUBNET_IDS;
            in.problem(missing, "is required with " + present + ": " + VPC_SUBNET_IDS + " and "
                    + VPC_SECURITY_GROUP_IDS + " place the function in a VPC together, set both or neither");
            return Optional.empty();
        }
        return subnetIds.isEmpty() ? Optional.empty() : Optional.of(new VpcSettings(subnetIds, securityGroupIds));
    }

    /** A comma-separated list of resource ids, empty when unset; problems are reported, not thrown. */
    private static List<String> idList(ConfigReader in, String key, Pattern id, String expected, int max) {
        var raw = in.optionalString(key);
        if (raw.isEmpty()) {
            return List.of();
        }
        var ids = Arrays.stream(raw.get().split(",", -1)).map(String::trim).toList();
        var malformed = ids.stream().filter(value -> !id.matcher(value).matches()).toList();
        if (!malformed.isEmpty()) {
            in.problem(key, "must be comma-separated " + expected + ", got " + malformed.stream()
                    .map(value -> "'" + value + "'").collect(Collectors.joining(", ")));
            // Counts as set, so a malformed list does not also report the other key as lone.
            return ids;
        }
        if (ids.stream().distinct().count() != ids.size()) {
            in.problem(key, "lists an id twice: '" + raw.get() + "'");
        } else if (ids.size() > max) {
            in.problem(key, "may list at most " + max + " ids, got " + ids.size());
        }
        return ids;
    }

    /** Each of {@code excludedKeys} is a problem when set, since {@code presentKey} is set. */
    private static void exclude(ConfigReader in, String presentKey, String reason, String... excludedKeys) {
        for (var excluded : excludedKeys) {
            if (in.isSet(excluded)) {
                in.problem(excluded, "must not be set together with " + presentKey + ": " + reason);
            }
        }
    }

    /** A region-bound setting must name the region the stack deploys into, when that is known. */
    private static void requireDeploymentRegion(ConfigReader in, String key, String region, String why) {
        in.deploymentRegion().filter(deployRegion -> !deployRegion.equals(region)).ifPresent(deployRegion ->
                in.problem(key, "is in region " + region + " but the stack deploys to " + deployRegion + ": " + why));
    }

    private static void requireSetFor(ConfigReader in, String key, String reason) {
        if (!in.isSet(key)) {
            in.problem(key, "is required with " + reason);
        }
    }

    private static void forbidSetWith(ConfigReader in, String key, String onlyWith) {
        if (in.isSet(key)) {
            in.problem(key, "is only valid with " + onlyWith);
        }
    }
}
