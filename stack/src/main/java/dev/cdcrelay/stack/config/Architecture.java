package dev.cdcrelay.stack.config;

/** Lambda architecture and the one image platform that runs on it. */
public enum Architecture implements ConfigValue {
    X86_64("x86_64", "linux/amd64"),
    ARM64("arm64", "linux/arm64");

    private final String lambdaName;
    private final String dockerPlatform;

    Architecture(String lambdaName, String dockerPlatform) {
        this.lambdaName = lambdaName;
        this.dockerPlatform = dockerPlatform;
    }

    @Override
    public String configValue() {
        return lambdaName;
    }

    /** The name in the function's {@code architectures} list. */
    public String lambdaName() {
        return lambdaName;
    }

    /** The {@code --platform} the image is built for. */
    public String dockerPlatform() {
        return dockerPlatform;
    }
}
