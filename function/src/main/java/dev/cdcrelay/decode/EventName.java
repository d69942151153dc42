package dev.cdcrelay.decode;

/** The three kinds of item change DynamoDB reports. */
public enum EventName {
    INSERT, MODIFY, REMOVE
}
