package dev.cdcrelay.relay;

import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.write.SinkWriter;
import dev.cdcrelay.write.TableName;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The function's settings, read once from environment variables and validated before anything
 * connects. Every error names the variable and what is wrong with it; none ever shows the password.
 * The README lists every variable with its default.
 */
public final class RelayConfig {

    /** What a delete made by DynamoDB's TTL does to the sink row. */
    public enum TtlDeletes { DELETE, KEEP }

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String passwordSecretArn;
    private final String secretsManagerEndpoint;
    private final String awsRegion;
    private final TableName table;
    private final TableName tombstoneTable;
    private final KeySchema keySchema;
    private final DeclaredTypes declaredTypes;
    private final TtlDeletes ttlDeletes;
    private final String deadLetterBucket;
    private final String deadLetterPrefix;
    private final String deadLetterDirectory;
    private final int connectTimeoutSeconds;
    private final SinkWriter.Settings writerSettings;

    private RelayConfig(Map<String, String> env) {
        jdbcUrl = required(env, "CRATEDB_JDBC_URL");
        if (!jdbcUrl.startsWith("jdbc:crate://") && !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("CRATEDB_JDBC_URL must start with jdbc:crate:// or jdbc:postgresql://"
                    + " (got a URL starting with '" + safePrefix(jdbcUrl) + "')");
        }
        if (hasUserInfo(jdbcUrl)) {
            // user:password@host would be logged with the URL; and the drivers do not read it anyway.
            throw new IllegalArgumentException("CRATEDB_JDBC_URL must not carry credentials before the host"
                    + " (user:password@); set CRATEDB_USER and CRATEDB_PASSWORD instead");
        }
        if (jdbcUrl.toLowerCase(Locale.ROOT).contains("password=")) {
            throw new IllegalArgumentException("CRATEDB_JDBC_URL must not carry the password; set CRATEDB_PASSWORD instead");
        }
        user = env.getOrDefault("CRATEDB_USER", "crate").trim();
        password = env.getOrDefault("CRATEDB_PASSWORD", "");
        passwordSecretArn = optional(env, "CRATEDB_PASSWORD_SECRET_ARN");
        if (passwordSecretArn != null && !password.isEmpty()) {
            throw new IllegalArgumentException("set CRATEDB_PASSWORD or CRATEDB_PASSWORD_SECRET_ARN, not both");
        }
        if (passwordSecretArn != null && !passwordSecretArn.startsWith("arn:")) {
            throw new IllegalArgumentException("CRATEDB_PASSWORD_SECRET_ARN must be a secret's ARN (arn:aws:secretsmanager:...)");
        }
        secretsManagerEndpoint = optional(env, "RELAY_SECRETS_MANAGER_ENDPOINT");
        awsRegion = optional(env, "AWS_REGION");
        table = TableName.parse(required(env, "CRATEDB_TABLE"), "CRATEDB_TABLE");
        String tomb = optional(env, "RELAY_TOMBSTONE_TABLE");
        tombstoneTable = tomb == null ? table.withTable(table.table() + "_tombstones")
                : TableName.parse(tomb, "RELAY_TOMBSTONE_TABLE");
        String ks = optional(env, "RELAY_KEY_SCHEMA");
        keySchema = ks == null ? null : KeySchema.parse(ks, "RELAY_KEY_SCHEMA");
        declaredTypes = DeclaredTypes.parse(optional(env, "RELAY_ATTRIBUTE_TYPES"), "RELAY_ATTRIBUTE_TYPES");
        if (keySchema != null) {
            for (String k : keySchema.names()) {
                if (declaredTypes.get(k) != null) {
                    // Keys live in pk with their own types; a second type in data would only confuse.
                    throw new IllegalArgumentException("RELAY_ATTRIBUTE_TYPES: '" + k
                            + "' is a key attribute; its type comes from RELAY_KEY_SCHEMA");
                }
            }
        }
        String ttl = env.getOrDefault("RELAY_TTL_DELETES", "delete").trim().toLowerCase(Locale.ROOT);
        ttlDeletes = switch (ttl) {
            case "delete" -> TtlDeletes.DELETE;
            case "keep" -> TtlDeletes.KEEP;
            default -> throw new IllegalArgumentException("RELAY_TTL_DELETES must be 'delete' or 'keep', got '" + ttl + "'");
        };
        deadLetterBucket = optional(env, "RELAY_DEAD_LETTER_BUCKET");
        deadLetterPrefix = env.getOrDefault("RELAY_DEAD_LETTER_PREFIX", "dead-letter/");
        deadLetterDirectory = optional(env, "RELAY_DEAD_LETTER_DIR");
        if (deadLetterBucket != null && deadLetterDirectory != null) {
            throw new IllegalArgumentException("set RELAY_DEAD_LETTER_BUCKET or RELAY_DEAD_LETTER_DIR, not both");
        }
        connectTimeoutSeconds = intSetting(env, "RELAY_CONNECT_TIMEOUT_SECONDS", 10, 1, 300);
        SinkWriter.Settings d = SinkWriter.Settings.defaults();
        writerSettings = new SinkWriter.Settings(
                intSetting(env, "RELAY_ROWS_PER_BATCH", d.rowsPerBatch(), 1, 10_000),
                intSetting(env, "RELAY_MAX_ATTEMPTS", d.maxAttempts(), 1, 100),
                intSetting(env, "RELAY_RETRY_BASE_MILLIS", (int) d.retryBaseMillis(), 1, 60_000),
                intSetting(env, "RELAY_RETRY_MAX_MILLIS", (int) d.retryMaxMillis(), 1, 300_000),
                intSetting(env, "RELAY_DEADLINE_RESERVE_MILLIS", (int) d.deadlineReserveMillis(), 0, 300_000),
                boolSetting(env, "RELAY_CREATE_TABLE", true),
                Duration.ofHours(intSetting(env, "RELAY_TOMBSTONE_RETENTION_HOURS",
                        (int) d.tombstoneRetention().toHours(), 1, 24 * 366)));
    }

    /** Reads and validates; throws IllegalArgumentException naming the first bad variable. */
    public static RelayConfig fromEnvironment(Map<String, String> env) {
        return new RelayConfig(env);
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return v.trim();
    }

    private static String optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int intSetting(Map<String, String> env, String name, int def, int min, int max) {
        String v = optional(env, name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    private static boolean boolSetting(Map<String, String> env, String name, boolean def) {
        String v = optional(env, name);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        };
    }

    private static boolean hasUserInfo(String url) {
        int start = url.indexOf("//") + 2;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end).contains("@");
    }

    private static String safePrefix(String url) {
        int cut = url.indexOf("//");
        return cut < 0 ? url.substring(0, Math.min(12, url.length())) : url.substring(0, cut + 2);
    }

    public String jdbcUrl() { return jdbcUrl; }
    public String user() { return user; }
    /** The password from the environment (empty when none); pass it to the driver and nowhere else. */
    public String password() { return password; }
    /** The Secrets Manager secret holding the password, or null. */
    public String passwordSecretArn() { return passwordSecretArn; }
    /** An endpoint override for Secrets Manager (a VPC endpoint, or a test server), or null. */
    public String secretsManagerEndpoint() { return secretsManagerEndpoint; }
    public String awsRegion() { return awsRegion; }
    public TableName table() { return table; }
    public TableName tombstoneTable() { return tombstoneTable; }
    /** Null when the key schema is to be inferred from the first record. */
    public KeySchema keySchema() { return keySchema; }
    public DeclaredTypes declaredTypes() { return declaredTypes; }
    public TtlDeletes ttlDeletes() { return ttlDeletes; }
    public String deadLetterBucket() { return deadLetterBucket; }
    public String deadLetterPrefix() { return deadLetterPrefix; }
    public String deadLetterDirectory() { return deadLetterDirectory; }
    public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    public SinkWriter.Settings writerSettings() { return writerSettings; }

    /** Safe to log: no password, no URL query string. */
    @Override
    public String toString() {
        int q = jdbcUrl.indexOf('?');
        return "RelayConfig{url=" + (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)) + ", user=" + user
                + ", password=" + (passwordSecretArn != null ? "(from " + passwordSecretArn + ")"
                : password.isEmpty() ? "(none)" : "(set)") + ", table=" + table
                + ", keySchema=" + (keySchema == null ? "(from records)" : keySchema.names())
                + ", ttlDeletes=" + ttlDeletes + ", deadLetters="
                + (deadLetterBucket != null ? "s3://" + deadLetterBucket + "/" + deadLetterPrefix
                : deadLetterDirectory != null ? deadLetterDirectory : "(none)") + "}";
    }
}
