package dev.cdcrelay.settings;

/** An enum constant with the exact spelling it has in the environment. */
public interface EnvValue {

    String value();
}
