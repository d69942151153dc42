package dev.cdcrelay.stack;

import java.util.Objects;

/**
 * Where the function image is built from, relative to the program's working directory. Pulumi runs
 * this program in stack/, and the image needs the whole Maven reactor (the root pom lists every
 * module), so the context is the repository root.
 */
public record ImageBuild(String context, String dockerfile) {

    public static final ImageBuild FROM_STACK_DIRECTORY = new ImageBuild("..", "../function/Dockerfile");

    public ImageBuild {
        Objects.requireNonNull(context);
        Objects.requireNonNull(dockerfile);
    }
}
