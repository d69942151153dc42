package dev.cdcrelay.stack.config;

/** How the CrateDB password reaches the function. */
public enum PasswordDelivery implements ConfigValue {
    /**
     * In a Secrets Manager secret the function reads at start-up (CRATEDB_PASSWORD_SECRET_ARN); only
     * the function's role may read it, so lambda:GetFunctionConfiguration shows no password.
     */
    SECRETSMANAGER("secretsmanager"),
    /** In the CRATEDB_PASSWORD environment variable: visible to anyone who may read the function's configuration. */
    ENVIRONMENT("environment");

    private final String value;

    PasswordDelivery(String value) {
        this.value = value;
    }

    @Override
    public String configValue() {
        return value;
    }
}
