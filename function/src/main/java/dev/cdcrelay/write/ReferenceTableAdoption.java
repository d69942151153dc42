package dev.cdcrelay.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes over a table the reference tooling (the per-record processor) made and filled: it has
 * {@code pk} with the key attributes as primary key, {@code data} and {@code aux}, but no
 * {@code version}. Adds the column, and gives the existing rows a version older than any change,
 * so the next change of each item replaces its row. Logged once, with what changed.
 */
final class ReferenceTableAdoption {

    private final Connection connection;
    private final SinkDialect dialect;
    private final int timeoutSeconds;
    private final Consumer<String> log;

    ReferenceTableAdoption(Connection connection, SinkDialect dialect, int timeoutSeconds, Consumer<String> log) {
        this.connection = connection;
        this.dialect = dialect;
        this.timeoutSeconds = timeoutSeconds;
        this.log = log;
    }

    void adopt(TableName table, TableLayout found, List<ExpectedLayout.ExpectedColumn> missing) throws SQLException {
        List<String> statements = dialect.addVersionColumn(table);
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            for (String sql : statements) {
                st.execute(sql);
            }
        }
        log.accept("adopted table " + table + " in place (it had " + LayoutCheck.describe(found) + "): added "
                + missing.stream().map(ExpectedLayout.ExpectedColumn::declaration).toList()
                + "; existing rows hold version '' and count as older than any change. Statements: "
                + String.join("; ", statements));
    }
}
