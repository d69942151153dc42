package dev.cdcrelay.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Typed reads of the function's environment that collect every problem instead of stopping at the
 * first (the stack's ConfigReader does the same for Pulumi config). An invalid value reads as the
 * variable's default, a missing required value as "": nothing read here may be used before
 * {@link #throwIfProblems()}. The messages match the stack's, so a problem reads the same under
 * its config key.
 */
public final class EnvReader {

    private final Map<String, String> env;
    private final List<SettingProblem> problems = new ArrayList<>();

    public EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(withoutNullValues(env));
    }

    /** The value exactly as set, for settings where blanks matter. */
    public Optional<String> raw(EnvVar variable) {
        return Optional.ofNullable(env.get(variable.name()));
    }

    /** The trimmed value; blank counts as unset. */
    public Optional<String> optionalString(EnvVar variable) {
        return raw(variable).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** The trimmed value, or the variable's default. */
    public String string(EnvVar variable) {
        return optionalString(variable).orElseGet(variable::requireDefault);
    }

    public String requiredString(EnvVar variable, String hint) {
        return optionalString(variable).orElseGet(() -> {
            problem(variable, "is required; " + hint);
            return "";
        });
    }

    public boolean isSet(EnvVar variable) {
        return optionalString(variable).isPresent();
    }

    /** A whole number within bounds, or the variable's default. */
    public int integer(EnvVar variable, int min, int max) {
        int defaultValue = Integer.parseInt(variable.requireDefault());
        var raw = optionalString(variable);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problem(variable, "must be from " + min + " to " + max + ", got " + value);
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException notANumber) {
            problem(variable, "must be a whole number from " + min + " to " + max + ", got '" + raw.get() + "'");
            return defaultValue;
        }
    }

    /** {@code true} or {@code false} (any case), exactly what the stack accepts; or the default. */
    public boolean bool(EnvVar variable) {
        boolean defaultValue = Boolean.parseBoolean(variable.requireDefault());
        var raw = optionalString(variable);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(variable, "must be true or false, got '" + raw.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** One of the enum's spellings, matched exactly; or the one the variable's default names. */
    public <E extends Enum<E> & EnvValue> E oneOf(EnvVar variable, Class<E> type) {
        E defaultValue = defaultOf(variable, type);
        var raw = optionalString(variable);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return spelledAs(type, raw.get()).orElseGet(() -> {
            problem(variable, "must be one of " + spellings(type) + ", got '" + raw.get() + "'");
            return defaultValue;
        });
    }

    public void problem(EnvVar variable, String reason) {
        problems.add(new SettingProblem(variable, reason));
    }

    public List<SettingProblem> problems() {
        return List.copyOf(problems);
    }

    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /** The constant the variable's default names. */
    public static <E extends Enum<E> & EnvValue> E defaultOf(EnvVar variable, Class<E> type) {
        return spelledAs(type, variable.requireDefault())
                .orElseThrow(() -> new IllegalStateException(variable + "'s default is not a " + type.getSimpleName()));
    }

    /** The constant spelled exactly so, if any. */
    public static <E extends Enum<E> & EnvValue> Optional<E> spelledAs(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(candidate -> candidate.value().equals(value)).findFirst();
    }

    static <E extends Enum<E> & EnvValue> String spellings(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnvValue::value).collect(Collectors.joining(", "));
    }

    // System.getenv() has none, but a caller's HashMap may; null counts as unset.
    private static Map<String, String> withoutNullValues(Map<String, String> env) {
        return env.entrySet().stream().filter(entry -> entry.getKey() != null && entry.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
