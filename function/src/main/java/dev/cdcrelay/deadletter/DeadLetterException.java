package dev.cdcrelay.deadletter;

/**
 * Dead letters could not be stored. The records they carry are not handled: the caller must
 * have them retried, never drop them.
 */
public class DeadLetterException extends Exception {
    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
