package dev.cdcrelay.logging;

/**
 * The levels Lambda's log-level filtering knows (advanced logging controls, JSON log format): a
 * line whose {@code level} is below the function's application log level is dropped by Lambda.
 */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL
}
