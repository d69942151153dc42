package dev.cdcrelay.stack.config;

public enum StreamMode implements ConfigValue {
    ON_DEMAND, PROVISIONED;

    @Override
    public String configValue() {
        return name();
    }
}
