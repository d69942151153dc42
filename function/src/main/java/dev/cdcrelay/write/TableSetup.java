package dev.cdcrelay.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes sure the row table and the tombstone table can take the writer's statements: creates
 * them when missing, adopts a table in the reference tooling's layout by adding {@code version}
 * ({@link ReferenceTableAdoption}), and refuses anything else with one {@link SinkFault} that
 * names the table, what was found, what is expected and the ways out.
 */
final class TableSetup {

    private final Connection connection;
    private final SinkDialect dialect;
    private final TableName table;
    private final TableName tombstones;
    private final SinkSession.TablePolicy policy;
    private final int timeoutSeconds;
    private final Consumer<String> log;

    TableSetup(Connection connection, SinkDialect dialect, TableName table, TableName tombstones,
               SinkSession.TablePolicy policy, int timeoutSeconds, Consumer<String> log) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.tombstones = tombstones;
        this.policy = policy;
        this.timeoutSeconds = timeoutSeconds;
        this.log = log;
    }

    /**
     * Creates, adopts or verifies both tables.
     *
     * @param expected  the row table's layout
     * @param ddl       the dialect's create statements: row table first, tombstone table second
     */
    void prepare(ExpectedLayout expected, List<String> ddl) throws SQLException, SinkFaultException {
        prepareOne(table, expected, ddl.get(0));
        prepareOne(tombstones, dialect.expectedTombstoneLayout(tombstones), ddl.get(1));
    }

    private void prepareOne(TableName name, ExpectedLayout expected, String createSql)
            throws SQLException, SinkFaultException {
        Optional<TableLayout> found = TableLayout.read(connection, name, dialect);
        if (found.isEmpty()) {
            if (policy == SinkSession.TablePolicy.USE_AS_IS) {
                throw new SinkFaultException(SinkFaults.missing(name, createSql));
            }
            execute(createSql);
            log.accept("created table " + name);
            found = TableLayout.read(connection, name, dialect);
            if (found.isEmpty()) {
                throw new SinkFaultException(SinkFaults.notVisible(name, dialect.grantStatement(table, tombstones)));
            }
        }
        LayoutCheck.Verdict verdict = LayoutCheck.check(found.get(), expected);
        if (verdict instanceof LayoutCheck.Verdict.LacksAddable lacks) {
            if (policy == SinkSession.TablePolicy.USE_AS_IS) {
                throw new SinkFaultException(SinkFaults.mayNotAdopt(name, lacks.missing(), dialect.addVersionColumn(name)));
            }
            new ReferenceTableAdoption(connection, dialect, timeoutSeconds, log).adopt(name, found.get(), lacks.missing());
            verdict = LayoutCheck.check(TableLayout.read(connection, name, dialect).orElseThrow(
                    () -> new SQLException("table " + name + " vanished while it was adopted", "42P01")), expected);
        }
        if (verdict instanceof LayoutCheck.Verdict.Differs differs) {
            throw new SinkFaultException(SinkFaults.otherLayout(name, found.get(), differs.differences(), expected));
        }
        boolean adopted = name.equals(table) && found.get().column("version").map(TableLayout.Column::hasDefault)
                .orElse(false);
        if (adopted && policy == SinkSession.TablePolicy.CREATE_AND_ADOPT) {
            for (String sql : dialect.backfillVersion(name)) {
                execute(sql);
            }
        }
    }

    /**
     * The table-level fault behind an error, found by looking without acting: empty when both
     * tables are as expected, or when what is missing is what {@link #prepare} will create or add.
     */
    Optional<SinkFault> diagnose(ExpectedLayout expected, List<String> ddl) throws SQLException {
        Optional<SinkFault> row = diagnoseOne(table, expected, ddl.get(0));
        return row.isPresent() ? row : diagnoseOne(tombstones, dialect.expectedTombstoneLayout(tombstones), ddl.get(1));
    }

    private Optional<SinkFault> diagnoseOne(TableName name, ExpectedLayout expected, String createSql)
            throws SQLException {
        Optional<TableLayout> found = TableLayout.read(connection, name, dialect);
        boolean mayFix = policy == SinkSession.TablePolicy.CREATE_AND_ADOPT;
        if (found.isEmpty()) {
            return mayFix ? Optional.empty() : Optional.of(SinkFaults.missing(name, createSql));
        }
        LayoutCheck.Verdict verdict = LayoutCheck.check(found.get(), expected);
        if (verdict instanceof LayoutCheck.Verdict.Differs differs) {
            return Optional.of(SinkFaults.otherLayout(name, found.get(), differs.differences(), expected));
        }
        if (verdict instanceof LayoutCheck.Verdict.LacksAddable lacks && !mayFix) {
            return Optional.of(SinkFaults.mayNotAdopt(name, lacks.missing(), dialect.addVersionColumn(name)));
        }
        return Optional.empty();
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.execute(sql);
        }
    }
}
