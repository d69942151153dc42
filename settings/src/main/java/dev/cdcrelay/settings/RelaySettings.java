package dev.cdcrelay.settings;

import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.write.TableName;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import static dev.cdcrelay.settings.EnvVar.*;

/**
 * The function's settings, read from its environment and validated before anything connects:
 * every rule about a variable is here, so the function at start-up and the stack before it deploys
 * refuse the same values with the same reasons. Absent values are empty Optionals. No message, and
 * not {@link #toString()}, shows the password or the URL's query string.
 *
 * @param password          the password itself; empty when none is given or it is in a secret
 * @param passwordSecretArn the Secrets Manager secret holding the password
 * @param keySchema         the source table's key; empty to take it from the first record
 */
public record RelaySettings(String jdbcUrl, String user, Optional<String> password, Optional<String> passwordSecretArn,
                            Optional<String> secretsManagerEndpoint, Optional<String> awsRegion,
                            TableName table, TableName tombstoneTable, Optional<KeySchemaSpec> keySchema,
                            DeclaredTypes declaredTypes, TtlDeletes ttlDeletes, DeadLetters deadLetters,
                            int connectTimeoutSeconds, Writer writer) {

    /** Where poison records go: a bucket (with a key prefix), a directory, or nowhere (reported instead). */
    public record DeadLetters(Optional<String> bucket, String prefix, Optional<String> directory) {
        public DeadLetters {
            Objects.requireNonNull(bucket);
            Objects.requireNonNull(prefix);
            Objects.requireNonNull(directory);
        }
    }

    /**
     * The writer's tuning.
     *
     * @param connections how many connections write one batch at once, each its share of the items
     */
    public record Writer(int rowsPerBatch, int maxAttempts, int retryBaseMillis, int retryMaxMillis,
                         int deadlineReserveMillis, boolean createTables, int tombstoneRetentionHours,
                         int connections) {

        /** Every value at its default. */
        public static Writer defaults() {
            return read(new EnvReader(Map.of()));
        }

        static Writer read(EnvReader in) {
            return new Writer(
                    in.integer(RELAY_ROWS_PER_BATCH, 1, 10_000),
                    in.integer(RELAY_MAX_ATTEMPTS, 1, 100),
                    in.integer(RELAY_RETRY_BASE_MILLIS, 1, 60_000),
                    in.integer(RELAY_RETRY_MAX_MILLIS, 1, 300_000),
                    in.integer(RELAY_DEADLINE_RESERVE_MILLIS, 0, 300_000),
                    in.bool(RELAY_CREATE_TABLE),
                    in.integer(RELAY_TOMBSTONE_RETENTION_HOURS, 1, 24 * 366),
                    in.integer(RELAY_SINK_CONNECTIONS, 1, 8));
        }
    }

    public static final String JDBC_URL_PREFIXES = "jdbc:postgresql:// or jdbc:crate://";

    public RelaySettings {
        Objects.requireNonNull(jdbcUrl);
        Objects.requireNonNull(user);
        Objects.requireNonNull(password);
        Objects.requireNonNull(passwordSecretArn);
        Objects.requireNonNull(secretsManagerEndpoint);
        Objects.requireNonNull(awsRegion);
        Objects.requireNonNull(table);
        Objects.requireNonNull(tombstoneTable);
        Objects.requireNonNull(keySchema);
        Objects.requireNonNull(declaredTypes);
        Objects.requireNonNull(ttlDeletes);
        Objects.requireNonNull(deadLetters);
        Objects.requireNonNull(writer);
    }

    /**
     * Reads and validates the whole environment.
     *
     * @throws InvalidSettingsException listing every problem, each naming its variable
     */
    public static RelaySettings read(Map<String, String> env) {
        var in = new EnvReader(env);
        var settings = read(in);
        in.throwIfProblems();
        return settings.orElseThrow();
    }

    /** Every problem with the environment; empty when {@link #read} would succeed. */
    public static List<SettingProblem> problemsWith(Map<String, String> env) {
        var in = new EnvReader(env);
        read(in);
        return in.problems();
    }

    /** Empty when a required part could not be read; the problems are in {@code in} then. */
    private static Optional<RelaySettings> read(EnvReader in) {
        var jdbcUrl = readJdbcUrl(in);
        var user = in.string(CRATEDB_USER);
        var password = in.raw(CRATEDB_PASSWORD).filter(value -> !value.isEmpty());
        var passwordSecretArn = readPasswordSecretArn(in, password.isPresent());
        var tableSpec = in.requiredString(CRATEDB_TABLE, "name the sink table, e.g. doc.readings");
        var table = tableSpec.isEmpty() ? Optional.<TableName>empty()
                : parsed(in, CRATEDB_TABLE, TableName::parse, tableSpec);
        var tombstoneTable = in.optionalString(RELAY_TOMBSTONE_TABLE)
                .map(spec -> parsed(in, RELAY_TOMBSTONE_TABLE, TableName::parse, spec))
                .orElseGet(() -> table.flatMap(name -> defaultTombstoneTable(in, name)));
        var keySchema = in.optionalString(RELAY_KEY_SCHEMA)
                .flatMap(spec -> parsed(in, RELAY_KEY_SCHEMA, KeySchemaSpec::parse, spec));
        var declaredTypes = in.optionalString(RELAY_ATTRIBUTE_TYPES)
                .flatMap(spec -> parsed(in, RELAY_ATTRIBUTE_TYPES, DeclaredTypes::parse, spec))
                .orElse(DeclaredTypes.NONE);
        keySchema.ifPresent(keys -> keys.names().stream().filter(name -> declaredTypes.get(name) != null).findFirst()
                // Keys live in pk with their own types; a second type in data would only confuse.
                .ifPresent(name -> in.problem(RELAY_ATTRIBUTE_TYPES, "'" + name
                        + "' is a key attribute; its type comes from " + RELAY_KEY_SCHEMA)));
        var ttlDeletes = in.oneOf(RELAY_TTL_DELETES, TtlDeletes.class);
        var deadLetters = readDeadLetters(in);
        var connectTimeoutSeconds = in.integer(RELAY_CONNECT_TIMEOUT_SECONDS, 1, 300);
        var writer = Writer.read(in);
        if (jdbcUrl.isEmpty() || table.isEmpty() || tombstoneTable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RelaySettings(jdbcUrl.get(), user, password, passwordSecretArn,
                in.optionalString(RELAY_SECRETS_MANAGER_ENDPOINT), in.optionalString(AWS_REGION),
                table.get(), tombstoneTable.get(), keySchema, declaredTypes, ttlDeletes, deadLetters,
                connectTimeoutSeconds, writer));
    }

    /** The URL is checked, never echoed: it may carry credentials. */
    private static Optional<String> readJdbcUrl(EnvReader in) {
        var url = in.requiredString(CRATEDB_JDBC_URL, "e.g. jdbc:postgresql://<host>:5432/doc");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        var problem = jdbcUrlProblem(url);
        problem.ifPresent(reason -> in.problem(CRATEDB_JDBC_URL, reason));
        return problem.isPresent() ? Optional.empty() : Optional.of(url);
    }

    /** Why the function would refuse this JDBC URL; the reason never repeats the URL. */
    public static Optional<String> jdbcUrlProblem(String url) {
        if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("jdbc:crate://")) {
            return Optional.of("must start with " + JDBC_URL_PREFIXES);
        }
        String authority = url.substring(url.indexOf("//") + 2).split("[/?#]", 2)[0];
        if (authority.contains("@")) {
            // user:password@host would be logged with the URL; and the drivers do not read it anyway.
            return Optional.of("must not carry credentials before the host (user:password@); set "
                    + CRATEDB_USER + " and the password separately");
        }
        if (authority.isEmpty()) {
            return Optional.of("has no host after //");
        }
        for (String host : authority.split(",", -1)) {
            var problem = hostProblem(host);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            return Optional.of("must not carry the password; set it separately");
        }
        return Optional.empty();
    }

    /** One {@code host[:port]} of the URL (the drivers take a comma-separated list; IPv6 in brackets). */
    private static Optional<String> hostProblem(String host) {
        int bracketEnd = host.indexOf("]:");
        int portSeparator = host.startsWith("[") ? (bracketEnd < 0 ? -1 : bracketEnd + 1) : host.lastIndexOf(':');
        String name = portSeparator >= 0 ? host.substring(0, portSeparator) : host;
        if (name.isEmpty() || name.equals("[]")) {
            return Optional.of("has an empty host name");
        }
        if (portSeparator < 0) {
            return Optional.empty();
        }
        String port = host.substring(portSeparator + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            return Optional.of("has port '" + port + "'; a port is a number from 1 to 65535");
        }
        return Optional.empty();
    }

    private static Optional<String> readPasswordSecretArn(EnvReader in, boolean passwordGiven) {
        var arn = in.optionalString(CRATEDB_PASSWORD_SECRET_ARN);
        if (arn.isPresent() && passwordGiven) {
            in.problem(CRATEDB_PASSWORD_SECRET_ARN, "is set together with " + CRATEDB_PASSWORD + "; set one of them");
        }
        if (arn.isPresent() && !arn.get().startsWith("arn:")) {
            in.problem(CRATEDB_PASSWORD_SECRET_ARN, "must be a secret's ARN (arn:aws:secretsmanager:...)");
        }
        return arn;
    }

    /** The table's sibling; its name must pass the same rules (a long table name may push it over). */
    private static Optional<TableName> defaultTombstoneTable(EnvReader in, TableName table) {
        var tombstones = table.withTable(table.table() + "_tombstones");
        var refusal = tombstones.refusal();
        refusal.ifPresent(reason -> in.problem(CRATEDB_TABLE, "makes the tombstone table '" + tombstones
                + "', which " + reason + "; shorten it or set " + RELAY_TOMBSTONE_TABLE));
        return refusal.isPresent() ? Optional.empty() : Optional.of(tombstones);
    }

    private static DeadLetters readDeadLetters(EnvReader in) {
        var bucket = in.optionalString(RELAY_DEAD_LETTER_BUCKET);
        var directory = in.optionalString(RELAY_DEAD_LETTER_DIR);
        if (bucket.isPresent() && directory.isPresent()) {
            in.problem(RELAY_DEAD_LETTER_DIR, "is set together with " + RELAY_DEAD_LETTER_BUCKET + "; set one of them");
        }
        // Blanks matter in a key prefix: read as set. The stack grants s3:PutObject on <prefix>*.
        var prefix = in.raw(RELAY_DEAD_LETTER_PREFIX).orElseGet(RELAY_DEAD_LETTER_PREFIX::requireDefault);
        if (prefix.startsWith("/") || prefix.contains("*") || prefix.contains("?") || prefix.length() > 512
                || !prefix.equals(prefix.strip())) {
            in.problem(RELAY_DEAD_LETTER_PREFIX, "must be an S3 key prefix without leading '/', blanks or wildcards, got '"
                    + prefix + "'");
        }
        return new DeadLetters(bucket, prefix, directory);
    }

    /** The parsed value, or empty with the parser's reason recorded as the variable's problem. */
    private static <T> Optional<T> parsed(EnvReader in, EnvVar variable, Function<String, T> parser, String spec) {
        try {
            return Optional.of(parser.apply(spec));
        } catch (IllegalArgumentException invalid) {
            in.problem(variable, invalid.getMessage());
            return Optional.empty();
        }
    }

    /** Safe to log: no password, no URL query string. */
    @Override
    public String toString() {
        return "url=" + jdbcUrlWithoutQuery() + ", user=" + user
                + ", password=" + passwordSecretArn.map(arn -> "(from " + arn + ")")
                        .orElse(password.isPresent() ? "(set)" : "(none)")
                + ", table=" + table
                + ", keySchema=" + keySchema.map(keys -> keys.names().toString()).orElse("(from records)")
                + ", ttlDeletes=" + ttlDeletes + ", deadLetters="
                + deadLetters.bucket().map(bucket -> "s3://" + bucket + "/" + deadLetters.prefix())
                        .or(deadLetters::directory).orElse("(none)");
    }

    /** The URL without its query string (which may carry options worth keeping private). */
    public String jdbcUrlWithoutQuery() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
