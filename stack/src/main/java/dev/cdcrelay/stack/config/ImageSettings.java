package dev.cdcrelay.stack.config;

import java.util.Objects;

/**
 * The function image: built from source and pushed to the stack's own ECR repository, or an image
 * built elsewhere and given by digest.
 *
 * @param architecture what Lambda runs the image on; a prebuilt image must have been built for it
 */
public record ImageSettings(Architecture architecture, Source source) {

    public ImageSettings {
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(source);
    }

    /** Where the image comes from. */
    public sealed interface Source {
    }

    /**
     * Built by `pulumi up` and pushed into a repository the stack owns.
     *
     * @param keepImages how many images the lifecycle policy keeps (the running one is the newest)
     * @param publicPull whether the repository policy lets any AWS principal pull
     */
    public record Build(int keepImages, boolean publicPull) implements Source {
    }

    /**
     * An image already in ECR, by digest ({@code <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<hex>}):
     * no Docker, no build, no repository of the stack's own.
     */
    public record Prebuilt(String imageUri) implements Source {

        public Prebuilt {
            Objects.requireNonNull(imageUri);
        }

        /** {@code sha256:<64 hex>}. */
        public String digest() {
            return imageUri.substring(imageUri.indexOf('@') + 1);
        }
    }
}
