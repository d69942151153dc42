package dev.cdcrelay.stack.config;

/**
 * The function's application log level (Lambda's advanced logging controls, JSON log format):
 * lines below it are dropped by Lambda. Only levels that keep INFO lines are offered, because the
 * metrics document the function prints once per invocation is an INFO line to Lambda: at WARN the
 * dashboard and the replication-lag alarm would go blank.
 */
public enum ApplicationLogLevel implements ConfigValue {
    TRACE, DEBUG, INFO;

    @Override
    public String configValue() {
        return name();
    }
}
