package dev.cdcrelay.write;

import java.util.List;
import java.util.Set;

/**
 * The columns and primary key a sink table must have for the writer's statements to mean what
 * {@link SinkDialect} promises. Given by each dialect, checked by {@link LayoutCheck}.
 *
 * @param columns     every column the writer reads or writes (object sub-columns included)
 * @param primaryKey  the primary-key columns, as the catalog names them in
 *                    {@code key_column_usage}: CrateDB 6.4 names a key below an object by the
 *                    object, once per key column ({@code pk}, {@code pk}; measured), so the
 *                    comparison counts names
 * @param closedObjects objects that must hold no sub-columns but the expected ones ({@code pk}:
 *                    with the counted key names this pins the primary key down)
 * @param createSql   the statement that makes the table, quoted in error messages
 */
public record ExpectedLayout(List<ExpectedColumn> columns, List<String> primaryKey, Set<String> closedObjects,
                             String createSql) {

    /**
     * One expected column.
     *
     * @param name         as the catalog names it, e.g. {@code version} or {@code pk['device']}
     * @param types        catalog type names that work, lower-case
     * @param declaration  how to declare it, for messages
     * @param addable      whether the relay may add it to a table in place (only {@code version})
     */
    public record ExpectedColumn(String name, Set<String> types, String declaration, boolean addable) {
        public ExpectedColumn {
            types = Set.copyOf(types);
        }
    }

    public ExpectedLayout {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        closedObjects = Set.copyOf(closedObjects);
    }

    static ExpectedColumn column(String name, String declaration, String... types) {
        return new ExpectedColumn(name, Set.of(types), declaration, false);
    }

    static ExpectedColumn addableColumn(String name, String declaration, String... types) {
        return new ExpectedColumn(name, Set.of(types), declaration, true);
    }
}
