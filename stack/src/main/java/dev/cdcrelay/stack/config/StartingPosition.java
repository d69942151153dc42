package dev.cdcrelay.stack.config;

public enum StartingPosition implements ConfigValue {
    TRIM_HORIZON, LATEST, AT_TIMESTAMP;

    @Override
    public String configValue() {
        return name();
    }
}
