package dev.cdcrelay.settings;

import java.util.Objects;

/**
 * What is wrong with one variable. The reason never repeats a value that may be secret (the
 * password, the JDBC URL), so the stack can show it under its own config key.
 */
public record SettingProblem(EnvVar variable, String reason) {

    public SettingProblem {
        Objects.requireNonNull(variable);
        Objects.requireNonNull(reason);
    }

    /** {@code VARIABLE: reason}, as the function reports it. */
    @Override
    public String toString() {
        return variable.name() + ": " + reason;
    }
}
