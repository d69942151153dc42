package dev.cdcrelay.stack.config;

import com.pulumi.Config;
import com.pulumi.deployment.Deployment;

import java.util.Objects;
import java.util.Optional;

/** Reads the stack's settings from Pulumi config (namespace = the Pulumi project name). */
public final class PulumiConfigSource implements ConfigSource {

    private final Config config;
    private final Optional<String> deploymentRegion;

    /**
     * @param awsConfig the AWS provider's config namespace; its {@code region}, else AWS_REGION or
     *                  AWS_DEFAULT_REGION (which the provider also reads), is where the stack deploys
     */
    public PulumiConfigSource(Config config, Config awsConfig) {
        this(config, awsConfig.get("region")
                .or(() -> Optional.ofNullable(System.getenv("AWS_REGION")))
                .or(() -> Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION")))
                .filter(region -> !region.isBlank()));
    }

    private PulumiConfigSource(Config config, Optional<String> deploymentRegion) {
        this.config = Objects.requireNonNull(config);
        this.deploymentRegion = deploymentRegion;
    }

    @Override
    public Optional<String> get(String key) {
        return config.get(key);
    }

    @Override
    public Optional<String> deploymentRegion() {
        return deploymentRegion;
    }

    /**
     * The public {@link Config} API cannot tell whether a key was stored with {@code --secret}; the
     * deployment's config object can, but only through an SDK-internal method. It is worth it: a
     * password that sits in plain text in Pulumi.&lt;stack&gt;.yaml (and in git) is the mistake this check
     * exists for. Should a future SDK drop the method, the check is skipped rather than failing the run.
     */
    @Override
    public Optional<Boolean> isSecret(String key) {
        try {
            return Optional.of(Deployment.getInstance().getConfig().isConfigSecret(config.getName() + ":" + key));
        } catch (RuntimeException | LinkageError unavailable) {
            return Optional.empty();
        }
    }
}
