package dev.cdcrelay.kinesis;

/**
 * A document is not a Lambda Kinesis event (or dead-letter document) that can be read back. The
 * message says where and what, e.g. {@code Records[3].kinesis.data is not base64}.
 */
public class MalformedEventException extends Exception {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
