package dev.cdcrelay.stack.config;

/** DynamoDB scalar types a key attribute can have. */
public enum KeyType implements ConfigValue {
    S, N, B;

    @Override
    public String configValue() {
        return name();
    }
}
