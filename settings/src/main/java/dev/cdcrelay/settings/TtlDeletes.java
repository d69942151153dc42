package dev.cdcrelay.settings;

/** What a delete made by DynamoDB's TTL does to the sink row (RELAY_TTL_DELETES, stack key ttlDeletes). */
public enum TtlDeletes implements EnvValue {
    /** Delete the row in the sink too. */
    DELETE("delete"),
    /** Keep the row: the sink holds the history that DynamoDB expired. */
    KEEP("keep");

    private final String value;

    TtlDeletes(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
