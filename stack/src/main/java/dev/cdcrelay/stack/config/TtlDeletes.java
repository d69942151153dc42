package dev.cdcrelay.stack.config;

/** What the function does with deletes made by DynamoDB's TTL sweeper (value of RELAY_TTL_DELETES). */
public enum TtlDeletes implements ConfigValue {
    /** Delete the row in CrateDB too. */
    DELETE("delete"),
    /** Keep the row: CrateDB holds the history that DynamoDB expired. */
    KEEP("keep");

    private final String value;

    TtlDeletes(String value) {
        this.value = value;
    }

    @Override
    public String configValue() {
        return value;
    }
}
