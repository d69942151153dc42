package dev.cdcrelay.stack.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigSource} over a map: for tests, and for programs that build the settings themselves.
 * The deployment region, if known, is the map's {@value #AWS_REGION} entry (the AWS provider's key).
 */
public record MapConfigSource(Map<String, String> values, Set<String> secretKeys) implements ConfigSource {

    public static final String AWS_REGION = "aws:region";

    public MapConfigSource {
        values = Map.copyOf(values);
        secretKeys = Set.copyOf(secretKeys);
    }

    /** A source that declares every key in {@code secretKeys} as stored secret. */
    public static MapConfigSource of(Map<String, String> values, Set<String> secretKeys) {
        return new MapConfigSource(values, secretKeys);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public Optional<Boolean> isSecret(String key) {
        return Optional.of(secretKeys.contains(key));
    }

    @Override
    public Optional<String> deploymentRegion() {
        return get(AWS_REGION);
    }

    /** Never print the values: some of them are credentials. */
    @Override
    public String toString() {
        return "MapConfigSource" + values.keySet();
    }
}
