package dev.cdcrelay.stack.components;

import dev.cdcrelay.stack.config.FailureSettings;
import dev.cdcrelay.stack.config.SinkSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/** The function's environment variables; their names are fixed by the function module. */
public final class FunctionEnvironment {

    public static final String CRATEDB_JDBC_URL = "CRATEDB_JDBC_URL";
    public static final String CRATEDB_USER = "CRATEDB_USER";
    public static final String CRATEDB_PASSWORD = "CRATEDB_PASSWORD";
    public static final String CRATEDB_PASSWORD_SECRET_ARN = "CRATEDB_PASSWORD_SECRET_ARN";
    public static final String CRATEDB_TABLE = "CRATEDB_TABLE";
    public static final String RELAY_KEY_SCHEMA = "RELAY_KEY_SCHEMA";
    public static final String RELAY_TTL_DELETES = "RELAY_TTL_DELETES";
    public static final String RELAY_ATTRIBUTE_TYPES = "RELAY_ATTRIBUTE_TYPES";
    public static final String RELAY_DEAD_LETTER_BUCKET = "RELAY_DEAD_LETTER_BUCKET";
    public static final String RELAY_DEAD_LETTER_PREFIX = "RELAY_DEAD_LETTER_PREFIX";

    /** The one variable that tells the function its password: the password itself, or where to read it. */
    public record Password(String variable, String value) {

        /** CRATEDB_PASSWORD: readable by anyone who may read the function's configuration. */
        public static Password inline(String password) {
            return new Password(CRATEDB_PASSWORD, password);
        }

        /** CRATEDB_PASSWORD_SECRET_ARN: the function fetches the password with secretsmanager:GetSecretValue. */
        public static Password inSecret(String secretArn) {
            return new Password(CRATEDB_PASSWORD_SECRET_ARN, secretArn);
        }
    }

    private FunctionEnvironment() {
    }

    /** RELAY_ATTRIBUTE_TYPES is left out when unset, so the function applies its own default. */
    public static Map<String, String> variables(String jdbcUrl, String user, Password password, String keySchema,
                                                String deadLetterBucket, SinkSettings sink, FailureSettings failures) {
        var variables = new LinkedHashMap<String, String>();
        variables.put(CRATEDB_JDBC_URL, jdbcUrl);
        variables.put(CRATEDB_USER, user);
        variables.put(password.variable(), password.value());
        variables.put(CRATEDB_TABLE, sink.cratedbTable());
        variables.put(RELAY_KEY_SCHEMA, keySchema);
        variables.put(RELAY_TTL_DELETES, sink.ttlDeletes().configValue());
        sink.attributeTypes().ifPresent(types -> variables.put(RELAY_ATTRIBUTE_TYPES, types));
        variables.put(RELAY_DEAD_LETTER_BUCKET, deadLetterBucket);
        variables.put(RELAY_DEAD_LETTER_PREFIX, failures.deadLetterPrefix());
        return variables;
    }
}
