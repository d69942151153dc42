package dev.cdcrelay.stack.config;

public enum BillingMode implements ConfigValue {
    PAY_PER_REQUEST, PROVISIONED;

    @Override
    public String configValue() {
        return name();
    }
}
