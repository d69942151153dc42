package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.RowPlanner;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the writer needs before its first statement, set up lazily and kept across
 * invocations: the connection, the dialect (detected from the server), the key schema (configured
 * or inferred from the first records), the planner and the column kinds the sink already typed,
 * and tables that are verified to be in the layout the statements rely on.
 *
 * <p>After a table-level error the writer calls {@link #explain}, which looks at the table again
 * and names the exact problem; the next {@link #ready} prepares the tables from scratch, so a
 * table that was re-created, unblocked or fixed is picked up without a restart.
 */
public final class SinkSession {

    /** What one attempt writes with; nothing in it is null. */
    public record Ready(Connection connection, SinkDialect dialect, KeySchema keySchema, RowPlanner planner,
                        ColumnKinds kinds) {
    }

    private final SinkConnection connection;
    private final TableName table;
    private final TableName tombstones;
    private final DeclaredTypes declared;
    private final TablePolicy policy;
    private final Consumer<String> log;

    private Optional<SinkDialect> dialect;
    private Optional<KeySchema> keySchema;
    private Optional<RowPlanner> planner = Optional.empty();
    private ColumnKinds kinds = new ColumnKinds();
    private SubColumns subColumns = new SubColumns();
    private boolean tablesReady;

    /** Whether the relay may create and alter the sink's tables ({@code RELAY_CREATE_TABLE}). */
    public enum TablePolicy { CREATE_AND_ADOPT, USE_AS_IS }

    public SinkSession(SinkConnection connection, Optional<SinkDialect> dialect, TableName table, TableName tombstones,
                       Optional<KeySchema> keySchema, DeclaredTypes declared, TablePolicy policy,
                       Consumer<String> log) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.tombstones = tombstones;
        this.keySchema = keySchema;
        this.declared = declared;
        this.policy = policy;
        this.log = log;
    }

    public synchronized Optional<SinkDialect> dialect() {
        return dialect;
    }

    public TableName table() {
        return table;
    }

    public TableName tombstones() {
        return tombstones;
    }

    public synchronized boolean tablesReady() {
        return tablesReady;
    }

    /**
     * Connects, picks the dialect and prepares the tables when the key schema is known, so the
     * first invocation does not pay for it. A sink fault found here is logged, not thrown: the
     * first batch meets it again and reports it.
     */
    public synchronized void warmUp() throws SQLException {
        Connection c = connection.get();
        SinkDialect d = dialect(c);
        if (keySchema.isPresent()) {
            try {
                prepare(c, d, keySchema.get(), 0);
            } catch (SinkFaultException e) {
                log.accept(e.getMessage());
            }
        }
    }

    /**
     * Connected, with tables in the expected layout (created or adopted when the policy allows).
     *
     * @param changes         the changes about to be written (the first one's keys name the key
     *                        schema when none is configured); not empty
     * @param timeoutSeconds  limit for each preparing statement; 0 for none
     * @throws SinkFaultException when the tables cannot be used as they are
     * @throws SQLException       when the sink cannot be reached or refused a statement
     */
    public synchronized Ready ready(Collection<ChangeRecord> changes, int timeoutSeconds)
            throws SQLException, SinkFaultException {
        Connection c = connection.get();
        SinkDialect d = dialect(c);
        if (keySchema.isEmpty()) {
            keySchema = Optional.of(KeySchema.inferFrom(changes.iterator().next().keys()));
            log.accept("key schema inferred from the records: " + keySchema.get().names());
        }
        KeySchema keys = keySchema.get();
        prepare(c, d, keys, timeoutSeconds);
        if (planner.isEmpty()) {
            planner = Optional.of(new RowPlanner(keys, declared, d.documentMode()));
        }
        return new Ready(c, d, keys, planner.get(), kinds);
    }

    /** The sub-columns the table is known to have (reset whenever the tables are prepared again). */
    synchronized SubColumns subColumns() {
        return subColumns;
    }

    /** The column kinds the writer last loaded (it reloads them when it re-plans a row). */
    public synchronized void kindsChanged(ColumnKinds current) {
        kinds = current;
    }

    private SinkDialect dialect(Connection c) throws SQLException {
        if (dialect.isEmpty()) {
            dialect = Optional.of(SinkDialect.detect(connection.describe(), c));
        }
        return dialect.get();
    }

    private void prepare(Connection c, SinkDialect d, KeySchema keys, int timeoutSeconds)
            throws SQLException, SinkFaultException {
        if (tablesReady) {
            return;
        }
        TableSetup setup = new TableSetup(c, d, table, tombstones, policy, timeoutSeconds, log);
        setup.prepare(d.expectedLayout(table, keys, declared), d.createTables(table, tombstones, keys, declared));
        kinds = d.loadColumnKinds(c, table);
        subColumns = new SubColumns(); // the table may be another one now: nothing of it is known
        tablesReady = true;
    }

    /**
     * Names the table-level problem behind a sink-wide error: looks at the table again (layout,
     * blocks) on a fresh connection, and makes the next {@link #ready} prepare the tables anew.
     */
    public synchronized SinkFault explain(SQLException error) {
        tablesReady = false;
        connection.discard();
        Optional<SinkFault> found = Optional.empty();
        try {
            Connection c = connection.get();
            SinkDialect d = dialect(c);
            if (keySchema.isPresent()) {
                TableSetup setup = new TableSetup(c, d, table, tombstones, policy, 10, log);
                found = setup.diagnose(d.expectedLayout(table, keySchema.get(), declared),
                        d.createTables(table, tombstones, keySchema.get(), declared));
            }
            if (found.isEmpty()) {
                found = Optional.of(SinkFaults.explain(error, table, tombstones, policy, dialect, d.writeBlocks(c, table)));
            }
        } catch (SQLException lookFailed) {
            found = Optional.of(SinkFaults.explain(error, table, tombstones, policy, dialect, Optional.empty()));
        }
        // A CrateDB session keeps the privileges its user had at login (measured: a GRANT did not
        // reach a kept connection): the next attempt starts on a fresh one.
        connection.discard();
        return found.get();
    }

    /**
     * Names the problem when every row of an attempt was refused with the same error, one by one:
     * a row-level verdict that does not depend on the row is the table's problem.
     */
    public SinkFault explainSameError(String reason, int rows) {
        return explain(new SQLException("all " + rows + " rows refused alike: " + reason));
    }
}
