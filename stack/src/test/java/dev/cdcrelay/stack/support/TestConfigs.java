package dev.cdcrelay.stack.support;

import com.google.gson.Gson;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stack configurations the tests start from (short keys of the project namespace). */
public final class TestConfigs {

    public static final String JDBC_URL = "jdbc:postgresql://crate.example.com:5432/doc?sslmode=require";
    public static final String USER = "relay-writer";
    public static final String PASSWORD = "pw-9f8e7d6c-never-plain";

    /** The credentials, stored with --secret as the docs say. */
    public static final Set<String> SECRET_KEYS = Set.of("cratedbJdbcUrl", "cratedbUser", "cratedbPassword");

    /** A new table keyed like the README's demo, every other setting at its default. */
    public static final Map<String, String> NEW_TABLE = Map.of(
            "tableHashKey", "device",
            "tableRangeKey", "timestamp",
            "cratedbJdbcUrl", JDBC_URL,
            "cratedbUser", USER,
            "cratedbPassword", PASSWORD,
            "cratedbTable", "doc.readings");

    /** The cut-over time the existing-stream configurations name. */
    public static final String CUT_OVER_TIME = "2026-12-02T06:00:00Z";

    /**
     * An existing table and the existing (encrypted) stream it already streams to, taken over at
     * {@link #CUT_OVER_TIME}.
     */
    public static final Map<String, String> EXISTING_TABLE_AND_STREAM = with(NEW_TABLE,
            "tableHashKey", null, "tableRangeKey", null,
            "existingTableName", FakeAws.EXISTING_TABLE,
            "existingStreamArn", FakeAws.arn("kinesis", "stream/" + FakeAws.EXISTING_STREAM),
            "cutOverTime", CUT_OVER_TIME);

    /** An image built elsewhere (dev's repository), by digest. */
    public static final String PREBUILT_IMAGE = FakeAws.REGISTRY + "/dynamodb-cdc-relay-dev-function-image-x1y2z3@"
            + "sha256:" + "fedcba9876543210".repeat(4);

    /** The stack-wide part of a `tables` stack: credentials only; each entry brings its source and sink. */
    public static final Map<String, String> CREDENTIALS_ONLY = Map.of(
            "cratedbJdbcUrl", JDBC_URL,
            "cratedbUser", USER,
            "cratedbPassword", PASSWORD);

    private TestConfigs() {
    }

    /** {@code base} with {@code tables} set to these entries, as the CLI passes structured config (JSON). */
    @SafeVarargs
    public static Map<String, String> withTables(Map<String, String> base, Map<String, String>... entries) {
        return with(base, "tables", new Gson().toJson(List.of(entries)));
    }

    /** One entry of {@code tables}: key/value pairs. */
    public static Map<String, String> entry(String... keysAndValues) {
        return with(Map.of(), keysAndValues);
    }

    /** {@code base} with the given key/value pairs set; a null value removes the key. */
    public static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
        var config = new HashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) {
                config.remove(keysAndValues[i]);
            } else {
                config.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return config;
    }
}
