package dev.cdcrelay.settings;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.cdcrelay.settings.EnvVar.*;

/**
 * What the backfill function reads beside the relay's settings: the source table and the Kinesis
 * stream it streams to (both as ARNs), and where exports, finished-file markers and Scan
 * checkpoints live. Read like {@link RelaySettings}: every problem named at once, each under its
 * variable. No secret is among these.
 *
 * @param prefix key prefix in the bucket, ending in {@code /} or empty (the stack grants
 *               {@code <prefix>exports/*}, {@code <prefix>finished/*}, ...)
 */
public record BackfillSettings(String sourceTableArn, String sourceStreamArn, String bucket, String prefix) {

    // arn:<partition>:dynamodb:<region>:<account>:table/<name>; table names are 3..255 of [A-Za-z0-9_.-]
    private static final Pattern TABLE_ARN = Pattern.compile("arn:[a-z-]+:dynamodb:[a-z0-9-]+:\\d{12}:table/([A-Za-z0-9_.-]{3,255})");
    private static final Pattern STREAM_ARN = Pattern.compile("arn:[a-z-]+:kinesis:[a-z0-9-]+:\\d{12}:stream/[A-Za-z0-9_.-]{1,128}");
    // S3's rules for general purpose bucket names (3..63, lower case, digits, dots, hyphens).
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public BackfillSettings {
        Objects.requireNonNull(sourceTableArn);
        Objects.requireNonNull(sourceStreamArn);
        Objects.requireNonNull(bucket);
        Objects.requireNonNull(prefix);
    }

    /**
     * Reads and validates the four backfill variables.
     *
     * @throws InvalidSettingsException listing every problem, each naming its variable
     */
    public static BackfillSettings read(Map<String, String> env) {
        var in = new EnvReader(env);
        var settings = read(in);
        in.throwIfProblems();
        return settings;
    }

    /** Every problem with the backfill variables; empty when {@link #read} would succeed. */
    public static List<SettingProblem> problemsWith(Map<String, String> env) {
        var in = new EnvReader(env);
        read(in);
        return in.problems();
    }

    private static BackfillSettings read(EnvReader in) {
        var table = in.requiredString(RELAY_SOURCE_TABLE_ARN, "the ARN of the table to back fill");
        if (!table.isEmpty() && !TABLE_ARN.matcher(table).matches()) {
            in.problem(RELAY_SOURCE_TABLE_ARN, "must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>), got '"
                    + table + "'");
        }
        var stream = in.requiredString(RELAY_SOURCE_STREAM_ARN, "the ARN of the Kinesis stream the table streams to");
        if (!stream.isEmpty() && !STREAM_ARN.matcher(stream).matches()) {
            in.problem(RELAY_SOURCE_STREAM_ARN, "must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>), got '"
                    + stream + "'");
        }
        var bucket = in.requiredString(RELAY_BACKFILL_BUCKET, "the S3 bucket of exports, markers and checkpoints");
        if (!bucket.isEmpty() && !BUCKET.matcher(bucket).matches()) {
            in.problem(RELAY_BACKFILL_BUCKET, "must be an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-'), got '" + bucket + "'");
        }
        // Blanks matter in a key prefix: read as set, like the dead-letter prefix.
        var prefix = in.raw(RELAY_BACKFILL_PREFIX).orElseGet(RELAY_BACKFILL_PREFIX::requireDefault);
        if (prefix.startsWith("/") || prefix.contains("*") || prefix.contains("?") || prefix.length() > 512
                || !prefix.equals(prefix.strip()) || !(prefix.isEmpty() || prefix.endsWith("/"))) {
            in.problem(RELAY_BACKFILL_PREFIX, "must be an S3 key prefix ending in '/' (or empty), without leading '/',"
                    + " blanks or wildcards, got '" + prefix + "'");
        }
        return new BackfillSettings(table, stream, bucket, prefix);
    }

    /** The table's name, the last part of its ARN. */
    public String tableName() {
        Matcher m = TABLE_ARN.matcher(sourceTableArn);
        return m.matches() ? m.group(1) : sourceTableArn;
    }

    /** Where DynamoDB writes the exports this backfill requests (it adds {@code AWSDynamoDB/<export-id>/}). */
    public String exportsPrefix() {
        return prefix + "exports/";
    }
}
