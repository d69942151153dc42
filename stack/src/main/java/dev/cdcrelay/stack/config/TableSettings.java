package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/** The source table: one the stack creates, or an existing one it only attaches a stream to. */
public sealed interface TableSettings {

    /** A table owned by this stack. Capacities are present exactly when billing is PROVISIONED. */
    record NewTable(KeySchema keySchema, BillingMode billingMode, Optional<Capacity> capacity,
                    boolean pointInTimeRecovery, boolean deletionProtection) implements TableSettings {

        public NewTable {
            Objects.requireNonNull(keySchema);
            Objects.requireNonNull(billingMode);
            Objects.requireNonNull(capacity);
        }
    }

    /** A table someone else owns: read, never changed (its key schema comes from the lookup). */
    record ExistingTable(String name) implements TableSettings {

        public ExistingTable {
            Objects.requireNonNull(name);
        }
    }

    record Capacity(int readUnits, int writeUnits) {
    }
}
