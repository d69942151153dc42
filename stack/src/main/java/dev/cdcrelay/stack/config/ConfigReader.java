package dev.cdcrelay.stack.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed reads from a {@link ConfigSource} that collect every problem instead of stopping at the
 * first, so one `pulumi up` reports all of them. An invalid value reads as the fallback given, and
 * a missing required value as "": nothing read here may be used before {@link #throwIfProblems()}.
 */
final class ConfigReader {

    private final ConfigSource source;
    /** Put before every key a problem names: empty for the stack's own keys, e.g. "tables[2] (orders)." in an entry. */
    private final String scope;
    /** The keys {@link #scope} is put before; a problem with any other key is the stack's, reported once. */
    private final Set<String> scopedKeys;
    /** Shared by a reader and every reader {@link #scoped} from it, so one throw reports them all. */
    private final List<String> problems;

    ConfigReader(ConfigSource source) {
        this(source, "", Set.of(), new ArrayList<>());
    }

    private ConfigReader(ConfigSource source, String scope, Set<String> scopedKeys, List<String> problems) {
        this.source = source;
        this.scope = scope;
        this.scopedKeys = Set.copyOf(scopedKeys);
        this.problems = problems;
    }

    /**
     * A reader of {@code entrySource} (one entry of a list, such as {@code tables}) whose problems join
     * this reader's: a problem with one of {@code entryKeys} is named {@code <scope>.<key>}, one with a
     * stack key (read through the entry, such as the credentials) {@code <key>}, once for all entries.
     */
    ConfigReader scoped(ConfigSource entrySource, String entryScope, Set<String> entryKeys) {
        return new ConfigReader(entrySource, entryScope + ".", entryKeys, problems);
    }

    /** The value exactly as stored, for settings where blanks matter. */
    Optional<String> raw(String key) {
        return source.get(key);
    }

    /** The trimmed value; blank counts as unset. */
    Optional<String> optionalString(String key) {
        return source.get(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    String requiredString(String key, String hint) {
        return optionalString(key).orElseGet(() -> {
            problem(key, "is required; " + hint);
            return "";
        });
    }

    /** The region the stack deploys into, when the source knows it. */
    Optional<String> deploymentRegion() {
        return source.deploymentRegion();
    }

    boolean isSet(String key) {
        return optionalString(key).isPresent();
    }

    int integer(String key, int defaultValue, int min, int max) {
        return optionalInteger(key, min, max).orElse(defaultValue);
    }

    OptionalInt optionalInteger(String key, int min, int max) {
        var raw = optionalString(key);
        if (raw.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problem(key, "must be from " + min + " to " + max + ", got " + value);
                return OptionalInt.empty();
            }
            return OptionalInt.of(value);
        } catch (NumberFormatException notANumber) {
            problem(key, "must be a whole number from " + min + " to " + max + ", got '" + raw.get() + "'");
            return OptionalInt.empty();
        }
    }

    boolean bool(String key, boolean defaultValue) {
        var raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, "must be true or false, got '" + raw.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** One of the enum's config spellings, matched exactly (AWS spells them in one case only). */
    <E extends Enum<E> & ConfigValue> E oneOf(String key, Class<E> type, E defaultValue) {
        var raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        for (E candidate : type.getEnumConstants()) {
            if (candidate.configValue().equals(raw.get())) {
                return candidate;
            }
        }
        problem(key, "must be one of " + spellings(type) + ", got '" + raw.get() + "'");
        return defaultValue;
    }

    /** Fails when the key is set but not stored encrypted; passes when the source cannot tell. */
    void requireStoredAsSecret(String key) {
        if (isSet(key) && source.isSecret(key).map(secret -> !secret).orElse(false)) {
            problem(key, "must be stored as a secret: pulumi config set --secret " + key + " <value>");
        }
    }

    void problem(String key, String message) {
        var problem = named(key) + ": " + message;
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    private String named(String key) {
        return scopedKeys.contains(key) ? scope + key : key;
    }

    boolean hasProblem(String key) {
        return problems.stream().anyMatch(problem -> problem.startsWith(named(key) + ": "));
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    static <E extends Enum<E> & ConfigValue> String spellings(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigValue::configValue)
                .collect(Collectors.joining(", "));
    }
}
