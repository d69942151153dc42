package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.RelaySettings;
import dev.cdcrelay.settings.SettingProblem;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.cdcrelay.settings.EnvVar.*;

/**
 * The function's environment variables, built from the stack's settings. Their names, defaults and
 * rules are the function's own ({@link EnvVar}, {@link RelaySettings}, compiled in from the settings
 * module), and {@link #check} runs those rules on this environment before any resource is declared,
 * so a value the function would refuse at every cold start fails `pulumi preview` instead.
 */
public final class FunctionEnvironment {

    /** The config key behind each variable the stack sets: a problem is reported under it. */
    static final Map<EnvVar, String> CONFIG_KEYS = configKeys();

    // Stand-ins for what only exists after deployment; they pass the rules as every real value does.
    static final String SECRET_ARN_AT_DEPLOY = "arn:aws:secretsmanager:region:000000000000:secret:cratedb-password";
    static final String BUCKET_AT_DEPLOY = "dead-letter-bucket";

    /** The one variable that tells the function its password: the password itself, or where to read it. */
    public record Password(EnvVar variable, String value) {

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

    /**
     * RELAY_ATTRIBUTE_TYPES is left out when unset (the function then declares none), RELAY_KEY_SCHEMA
     * when unknown (the function then takes it from the first record).
     */
    public static Map<String, String> variables(String jdbcUrl, String user, Password password,
                                                Optional<String> keySchema, String deadLetterBucket,
                                                SinkSettings sink, FailureSettings failures) {
        var variables = new LinkedHashMap<String, String>();
        variables.put(CRATEDB_JDBC_URL.name(), jdbcUrl);
        variables.put(CRATEDB_USER.name(), user);
        variables.put(password.variable().name(), password.value());
        variables.put(CRATEDB_TABLE.name(), sink.cratedbTable());
        keySchema.ifPresent(keys -> variables.put(RELAY_KEY_SCHEMA.name(), keys));
        variables.put(RELAY_TTL_DELETES.name(), sink.ttlDeletes().value());
        variables.put(RELAY_SINK_CONNECTIONS.name(), Integer.toString(sink.sinkConnections()));
        sink.attributeTypes().ifPresent(types -> variables.put(RELAY_ATTRIBUTE_TYPES.name(), types));
        variables.put(RELAY_DEAD_LETTER_BUCKET.name(), deadLetterBucket);
        variables.put(RELAY_DEAD_LETTER_PREFIX.name(), failures.deadLetterPrefix());
        return variables;
    }

    /**
     * The backfill function's environment: the relay function's whole environment (sink, password,
     * dead letters), plus where the backfill reads from and keeps its files.
     */
    public static Map<String, String> backfillVariables(Map<String, String> relayVariables, String sourceTableArn,
                                                        String sourceStreamArn, String backfillBucket,
                                                        String backfillPrefix) {
        var variables = new LinkedHashMap<>(relayVariables);
        variables.put(RELAY_SOURCE_TABLE_ARN.name(), sourceTableArn);
        variables.put(RELAY_SOURCE_STREAM_ARN.name(), sourceStreamArn);
        variables.put(RELAY_BACKFILL_BUCKET.name(), backfillBucket);
        variables.put(RELAY_BACKFILL_PREFIX.name(), backfillPrefix);
        return variables;
    }

    /**
     * Runs the function's rules on the environment these settings give it, with stand-ins for the
     * values that exist only after deployment (the secret's ARN, the bucket's name; an existing
     * table's key schema is left to the function, which reads it from the records). Each problem is
     * reported under its config key, unless that key has a problem already (a missing required value).
     */
    static void check(ConfigReader in, TableSettings table, SinkSettings sink, FailureSettings failures) {
        var password = sink.password().viaSecretsManager() ? Password.inSecret(SECRET_ARN_AT_DEPLOY)
                : Password.inline(in.raw(ConfigKeys.CRATEDB_PASSWORD).orElse(""));
        // A key the stack already refused (say, the range key equal to the hash key) is not reported twice.
        var keysValid = Stream.of(ConfigKeys.TABLE_HASH_KEY, ConfigKeys.TABLE_HASH_KEY_TYPE, ConfigKeys.TABLE_RANGE_KEY,
                ConfigKeys.TABLE_RANGE_KEY_TYPE).noneMatch(in::hasProblem);
        var keySchema = table instanceof TableSettings.NewTable newTable && keysValid
                ? Optional.of(newTable.keySchema().format()) : Optional.<String>empty();
        var environment = new HashMap<>(variables(in.string(ConfigKeys.CRATEDB_JDBC_URL, ""),
                in.string(ConfigKeys.CRATEDB_USER, ""), password, keySchema, BUCKET_AT_DEPLOY, sink, failures));
        // Typed in the settings (a refused value reads as the default there), so checked as written.
        in.optionalString(ConfigKeys.TTL_DELETES).ifPresent(value -> environment.put(RELAY_TTL_DELETES.name(), value));
        in.optionalString(ConfigKeys.SINK_CONNECTIONS)
                .ifPresent(value -> environment.put(RELAY_SINK_CONNECTIONS.name(), value));
        for (SettingProblem problem : problemsWith(environment)) {
            var key = CONFIG_KEYS.getOrDefault(problem.variable(), problem.variable().name());
            if (!in.hasProblem(key)) {
                in.problem(key, problem.reason());
            }
        }
    }

    /** The config key a variable's value comes from, if it comes from one. */
    public static Optional<String> configKey(EnvVar variable) {
        return Optional.ofNullable(CONFIG_KEYS.get(variable));
    }

    /**
     * The environment as deployed, checked again with the values known only then (an existing
     * table's key schema, read from AWS). The problems never carry the password or the URL.
     *
     * @throws IllegalStateException naming each variable the function would refuse
     */
    public static Map<String, String> requireAccepted(Map<String, String> environment) {
        var problems = problemsWith(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the function would refuse its environment: " + problems);
        }
        return environment;
    }

    /** The function's own verdict on an environment: empty when it would start. */
    public static List<SettingProblem> problemsWith(Map<String, String> environment) {
        return RelaySettings.problemsWith(environment);
    }

    private static Map<EnvVar, String> configKeys() {
        var keys = new EnumMap<EnvVar, String>(EnvVar.class);
        keys.put(CRATEDB_JDBC_URL, ConfigKeys.CRATEDB_JDBC_URL);
        keys.put(CRATEDB_USER, ConfigKeys.CRATEDB_USER);
        keys.put(CRATEDB_PASSWORD, ConfigKeys.CRATEDB_PASSWORD);
        keys.put(CRATEDB_PASSWORD_SECRET_ARN, ConfigKeys.PASSWORD_DELIVERY);
        keys.put(CRATEDB_TABLE, ConfigKeys.CRATEDB_TABLE);
        keys.put(RELAY_KEY_SCHEMA, ConfigKeys.TABLE_HASH_KEY);
        keys.put(RELAY_TTL_DELETES, ConfigKeys.TTL_DELETES);
        keys.put(RELAY_SINK_CONNECTIONS, ConfigKeys.SINK_CONNECTIONS);
        keys.put(RELAY_ATTRIBUTE_TYPES, ConfigKeys.ATTRIBUTE_TYPES);
        keys.put(RELAY_DEAD_LETTER_PREFIX, ConfigKeys.DEAD_LETTER_PREFIX);
        return Map.copyOf(keys);
    }
}
