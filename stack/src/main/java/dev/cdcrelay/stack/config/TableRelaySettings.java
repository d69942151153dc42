package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything about one relayed table: its source, its stream, where the function writes, and how the
 * mapping reads. {@code sink} and {@code failures} are complete settings for this table's function (the
 * stack-wide password delivery and bucket settings included, the dead-letter prefix this table's own),
 * so the function's environment is built and checked per table exactly as for a single-table stack.
 *
 * @param name present for an entry of {@code tables}; empty for the one relay the single-table keys
 *             describe, whose resources are named by the stack's prefix alone (as before tables existed)
 */
public record TableRelaySettings(Optional<String> name, TableSettings table, StreamSettings stream, SinkSettings sink,
                                 FailureSettings failures, MappingSettings mapping) {

    public TableRelaySettings {
        Objects.requireNonNull(name);
        Objects.requireNonNull(table);
        Objects.requireNonNull(stream);
        Objects.requireNonNull(sink);
        Objects.requireNonNull(failures);
        Objects.requireNonNull(mapping);
    }

    /** What this table's resources are named after: {@code <namePrefix>-<name>}, or the prefix itself. */
    public String resourcePrefix(String namePrefix) {
        return name.map(entry -> namePrefix + "-" + entry).orElse(namePrefix);
    }
}
