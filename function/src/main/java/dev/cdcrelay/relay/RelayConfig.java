package dev.cdcrelay.relay;

import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.InvalidSettingsException;
import dev.cdcrelay.settings.RelaySettings;
import dev.cdcrelay.settings.TtlDeletes;
import dev.cdcrelay.write.SinkWriter;
import dev.cdcrelay.write.TableName;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's settings in the types the relay works with. Every variable, its default and its
 * rules are defined once in {@link EnvVar} and {@link RelaySettings} (module settings), which the
 * stack also runs before it deploys; this class only converts. docs/configuration.md lists every variable.
 */
public final class RelayConfig {

    private final RelaySettings settings;

    private RelayConfig(RelaySettings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    /**
     * Reads and validates.
     *
     * @throws InvalidSettingsException (an IllegalArgumentException) listing every bad variable
     */
    public static RelayConfig fromEnvironment(Map<String, String> env) {
        return new RelayConfig(RelaySettings.read(env));
    }

    public RelaySettings settings() { return settings; }
    public String jdbcUrl() { return settings.jdbcUrl(); }
    public String user() { return settings.user(); }
    /** The password from the environment (empty when none); pass it to the driver and nowhere else. */
    public String password() { return settings.password().orElse(""); }
    /** The Secrets Manager secret holding the password, if the password is kept there. */
    public Optional<String> passwordSecretArn() { return settings.passwordSecretArn(); }
    /** An endpoint override for Secrets Manager (a VPC endpoint, or a test server). */
    public Optional<String> secretsManagerEndpoint() { return settings.secretsManagerEndpoint(); }
    public Optional<String> awsRegion() { return settings.awsRegion(); }
    public TableName table() { return settings.table(); }
    public TableName tombstoneTable() { return settings.tombstoneTable(); }
    /** Empty when the key schema is to be inferred from the first record. */
    public Optional<KeySchema> keySchema() { return settings.keySchema().map(KeySchema::of); }
    public DeclaredTypes declaredTypes() { return settings.declaredTypes(); }
    public TtlDeletes ttlDeletes() { return settings.ttlDeletes(); }
    public Optional<String> deadLetterBucket() { return settings.deadLetters().bucket(); }
    public String deadLetterPrefix() { return settings.deadLetters().prefix(); }
    public Optional<String> deadLetterDirectory() { return settings.deadLetters().directory(); }
    public int connectTimeoutSeconds() { return settings.connectTimeoutSeconds(); }

    public SinkWriter.Settings writerSettings() {
        return SinkWriter.Settings.of(settings.writer());
    }

    /** Safe to log: no password, no URL query string. */
    @Override
    public String toString() {
        return "RelayConfig{" + settings + "}";
    }
}
