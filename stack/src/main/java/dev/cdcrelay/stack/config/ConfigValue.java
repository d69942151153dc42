package dev.cdcrelay.stack.config;

/** An enum constant with the exact spelling it has in config (and, usually, in the AWS API). */
public interface ConfigValue {

    String configValue();
}
