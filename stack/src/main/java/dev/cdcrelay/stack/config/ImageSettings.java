package dev.cdcrelay.stack.config;

import java.util.Objects;

/**
 * The function image and its ECR repository.
 *
 * @param keepImages how many images the lifecycle policy keeps (the running one is the newest)
 * @param publicPull whether the repository policy lets any AWS principal pull
 */
public record ImageSettings(Architecture architecture, int keepImages, boolean publicPull) {

    public ImageSettings {
        Objects.requireNonNull(architecture);
    }
}
