package dev.cdcrelay.decode;

/**
 * A record that no retry can ever apply: not base64, not JSON, not a DynamoDB change, a value
 * outside DynamoDB's rules. The message names the record and what is wrong with it; it never
 * contains the payload itself (payloads go to the dead-letter destination, not to logs).
 */
public class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
