package dev.cdcrelay.stack;

import dev.cdcrelay.stack.config.RelayStackConfig;

import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link CdcRelay} needs. Build {@code settings} with {@link RelayStackConfig#from}, which
 * validates them; programs without Pulumi config can feed it a
 * {@link dev.cdcrelay.stack.config.MapConfigSource}.
 *
 * @param tags added to every resource that takes tags
 */
public record CdcRelayArgs(RelayStackConfig settings, CrateDbCredentials credentials, ImageBuild imageBuild,
                           Map<String, String> tags) {

    public CdcRelayArgs {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(credentials);
        Objects.requireNonNull(imageBuild);
        tags = Map.copyOf(tags);
    }

    /** Args for a program that runs in stack/, like {@link App}. */
    public static CdcRelayArgs of(RelayStackConfig settings, CrateDbCredentials credentials, Map<String, String> tags) {
        return new CdcRelayArgs(settings, credentials, ImageBuild.FROM_STACK_DIRECTORY, tags);
    }
}
