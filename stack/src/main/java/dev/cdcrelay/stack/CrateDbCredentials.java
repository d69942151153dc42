package dev.cdcrelay.stack;

import com.pulumi.Config;
import com.pulumi.core.Output;
import dev.cdcrelay.stack.config.ConfigKeys;

import java.util.Objects;

/**
 * How the function logs in to CrateDB. All three values are made secret here, whatever the caller
 * passes, so they are encrypted in the state and masked in every diff and output.
 */
public record CrateDbCredentials(Output<String> jdbcUrl, Output<String> user, Output<String> password) {

    public CrateDbCredentials {
        jdbcUrl = Objects.requireNonNull(jdbcUrl).asSecret();
        user = Objects.requireNonNull(user).asSecret();
        password = Objects.requireNonNull(password).asSecret();
    }

    /** Reads the credentials as secrets, whether or not they were stored with --secret. */
    public static CrateDbCredentials fromConfig(Config config) {
        return new CrateDbCredentials(
                config.requireSecret(ConfigKeys.CRATEDB_JDBC_URL),
                config.requireSecret(ConfigKeys.CRATEDB_USER),
                config.requireSecret(ConfigKeys.CRATEDB_PASSWORD));
    }
}
