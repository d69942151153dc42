package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything about one relayed table: its source, its stream, where the function writes, and how the
 * mapping reads. {@code sink} and {@code failures} are complete settings for this table's function (the
 * stack-wide password delivery and bucket settings included, the dead-letter prefix this table's own),
 * so the function's environment is built and checked per table exactly as for a single-table stack.
 *
 * @param name   present for an entry of {@code tables}; empty for the one relay the single-table keys describe
 * @param naming what the table's resources are named after
 */
public record TableRelaySettings(Optional<String> name, Naming naming, TableSettings table, StreamSettings stream,
                                 SinkSettings sink, FailureSettings failures, MappingSettings mapping) {

    /** What a table's resources are named after. */
    public enum Naming {
        /**
         * The stack's prefix alone, as a single-table stack names them: the relay of the single-table keys,
         * or the entry of {@code tables} that keeps a running single-table relay's resources (and URNs).
         */
        SINGLE_TABLE,
        /** {@code <namePrefix>-<name>}, under a component of the entry's own. */
        ENTRY
    }

    public TableRelaySettings {
        Objects.requireNonNull(name);
        Objects.requireNonNull(naming);
        if (naming == Naming.ENTRY && name.isEmpty()) {
            throw new IllegalArgumentException("a table named after its entry needs the entry's name");
        }
        Objects.requireNonNull(table);
        Objects.requireNonNull(stream);
        Objects.requireNonNull(sink);
        Objects.requireNonNull(failures);
        Objects.requireNonNull(mapping);
    }

    /** What this table's resources are named after: {@code <namePrefix>-<name>}, or the prefix itself. */
    public String resourcePrefix(String namePrefix) {
        return naming == Naming.ENTRY ? namePrefix + "-" + name.orElseThrow() : namePrefix;
    }
}
