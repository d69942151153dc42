package dev.cdcrelay.settings;

import java.util.Optional;

/**
 * Every environment variable the function reads: its name (the constant's name), its default and
 * what it means. This is the one place these are written; the function reads through
 * {@link EnvReader}, the stack names the variables it sets with these constants, and a test checks
 * docs/configuration.md's table against this list. The rules live in {@link RelaySettings#read}.
 */
public enum EnvVar {

    CRATEDB_JDBC_URL("`jdbc:crate://host:5432/?...` or `jdbc:postgresql://host:5432/doc?...`, without credentials"),
    CRATEDB_USER(Default.of("crate"), "database user"),
    CRATEDB_PASSWORD("database password; never logged"),
    CRATEDB_PASSWORD_SECRET_ARN("instead of CRATEDB_PASSWORD: a Secrets Manager secret holding the password"),
    RELAY_SECRETS_MANAGER_ENDPOINT("Secrets Manager endpoint override (a VPC interface endpoint URL)"),
    AWS_REGION("the region of Secrets Manager and S3; Lambda sets it"),
    CRATEDB_TABLE("sink table, optionally schema-qualified"),
    RELAY_KEY_SCHEMA("`name:TYPE[:SQLTYPE]`, hash key first; from the first record's Keys when unset"),
    RELAY_ATTRIBUTE_TYPES("exact types for chosen top-level attributes: `name:TEXT|BIGINT|DOUBLE|BOOLEAN`"),
    RELAY_TTL_DELETES(Default.of(TtlDeletes.DELETE.value()), "`delete` or `keep` rows whose item DynamoDB's TTL expired"),
    RELAY_DEAD_LETTER_BUCKET("S3 bucket for poison records"),
    RELAY_DEAD_LETTER_PREFIX(Default.of("dead-letter/"), "key prefix in that bucket"),
    RELAY_DEAD_LETTER_DIR("a local directory instead of S3"),
    RELAY_TOMBSTONE_TABLE("where deletes are remembered; `<table>_tombstones` when unset"),
    RELAY_TOMBSTONE_RETENTION_HOURS(Default.of("192"), "tombstones older than this are purged"),
    RELAY_CREATE_TABLE(Default.of("true"), "create the sink and tombstone tables when missing"),
    RELAY_ROWS_PER_BATCH(Default.of("1000"), "rows per JDBC batch"),
    RELAY_SINK_CONNECTIONS(Default.of("2"), "connections that write one batch at once, each a part of its items"),
    RELAY_MAX_ATTEMPTS(Default.of("5"), "attempts per batch for transient errors"),
    RELAY_RETRY_BASE_MILLIS(Default.of("100"), "first backoff between attempts"),
    RELAY_RETRY_MAX_MILLIS(Default.of("2000"), "longest backoff between attempts"),
    RELAY_DEADLINE_RESERVE_MILLIS(Default.of("1500"), "time kept back from the invocation's deadline to report in time"),
    RELAY_CONNECT_TIMEOUT_SECONDS(Default.of("10"), "JDBC connect timeout"),
    RELAY_SOURCE_TABLE_ARN("backfill function only: the DynamoDB table a backfill exports or scans"),
    RELAY_SOURCE_STREAM_ARN("backfill function only: the Kinesis stream the table streams to; checked ACTIVE before a snapshot"),
    RELAY_BACKFILL_BUCKET("backfill function only: S3 bucket of exports, finished-file markers and Scan checkpoints"),
    RELAY_BACKFILL_PREFIX(Default.of("backfill/"), "backfill function only: key prefix of markers and checkpoints in that bucket");

    private final Optional<String> defaultValue;
    private final String doc;

    EnvVar(String doc) {
        this(Default.NONE, doc);
    }

    EnvVar(Default defaultValue, String doc) {
        this.defaultValue = defaultValue.value;
        this.doc = doc;
    }

    /** What the function uses when the variable is unset or blank; empty when it has no default. */
    public Optional<String> defaultValue() {
        return defaultValue;
    }

    /** One line on what the variable means. */
    public String doc() {
        return doc;
    }

    /** The default as the function reads it; for variables that have one. */
    String requireDefault() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(name() + " has no default"));
    }

    /** Wraps a default, so that the two constructors cannot be confused. */
    private record Default(Optional<String> value) {
        static final Default NONE = new Default(Optional.empty());

        static Default of(String value) {
            return new Default(Optional.of(value));
        }
    }
}
