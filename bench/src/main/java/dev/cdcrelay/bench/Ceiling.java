package dev.cdcrelay.bench;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ChangeReducer;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.write.SplitBatchWriter;
import dev.cdcrelay.write.SinkDialect;
import dev.cdcrelay.write.TableName;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the database itself absorbs for a batch: the batch's final rows (decoded, reduced and
 * planned beforehand, outside the timing), written with the relay's own table layout and driver
 * as ONE bulk upsert ({@code INSERT ... ON CONFLICT DO UPDATE}, every row in one JDBC batch), no
 * version guard, no tombstones, no look-ups; REMOVEs as one bulk delete by key. The relay's
 * throughput divided by this one's is "relay / ceiling".
 *
 * <p>With more connections ({@code -Dbench.ceilingConnections=N}) the final rows are cut into
 * parts as the relay cuts them with {@code RELAY_SINK_CONNECTIONS=N} ({@link SplitBatchWriter}),
 * and the parts are written at once, one bulk upsert (and delete) per connection: the ceiling of
 * a writer that uses N connections too.
 */
final class Ceiling {

    /** The final rows of one batch, planned: what the ceiling writes. */
    record Rows(List<PlannedRow.Upsert> upserts, List<PlannedRow.Delete> deletes) {
    }

    private final Connection jdbc;
    private final List<Connection> more; // the other connections of a ceiling on several
    private final ExecutorService lanes;
    private final SinkDialect dialect;
    private final boolean crate;
    private final TableName table;
    private final ChangeDecoder decoder = new ChangeDecoder();
    private final ColumnKinds kinds = new ColumnKinds();
    private RowPlanner planner;
    private KeySchema keys;
    private String upsertSql;
    private String deleteSql;
    private List<String> ddl = List.of();

    Ceiling(Connection jdbc, SinkDialect dialect, boolean crate, TableName table) {
        this(jdbc, List.of(), dialect, crate, table);
    }

    Ceiling(Connection jdbc, List<Connection> more, SinkDialect dialect, boolean crate, TableName table) {
        this.jdbc = jdbc;
        this.more = List.copyOf(more);
        this.lanes = more.isEmpty() ? null : Executors.newFixedThreadPool(more.size(), r -> {
            Thread t = new Thread(r, "ceiling-lane");
            t.setDaemon(true);
            return t;
        });
        this.dialect = dialect;
        this.crate = crate;
        this.table = table;
    }

    /** Decodes, reduces and plans the batch (not timed: the ceiling is the database's part only). */
    Rows plan(List<IncomingRecord> batch) throws SQLException, InvalidRecordException {
        List<ChangeRecord> changes = new ArrayList<>(batch.size());
        for (IncomingRecord r : batch) {
            changes.add(decoder.decode(r));
        }
        Map<ItemKey, ChangeRecord> newest = ChangeReducer.newestPerItem(changes);
        if (planner == null) {
            create(KeySchema.inferFrom(changes.get(0).keys()));
        }
        List<PlannedRow.Upsert> upserts = new ArrayList<>();
        List<PlannedRow.Delete> deletes = new ArrayList<>();
        for (ChangeRecord c : newest.values()) {
            PlannedRow row = planner.plan(c, kinds);
            if (row instanceof PlannedRow.Upsert u) {
                upserts.add(u);
            } else {
                deletes.add((PlannedRow.Delete) row);
            }
        }
        return new Rows(upserts, deletes);
    }

    /**
     * One bulk upsert of the final rows (and one bulk delete), rowcounts not looked at; on several
     * connections, one per connection, each of its part of the rows, at once.
     */
    void write(Rows rows) throws SQLException {
        int parts = Math.min(1 + more.size(), Math.max(1,
                (rows.upserts().size() + rows.deletes().size()) / SplitBatchWriter.MIN_ITEMS_PER_PART));
        if (parts == 1) {
            write(jdbc, rows);
            return;
        }
        List<PlannedRow> deletesFirst = new ArrayList<>(rows.deletes());
        deletesFirst.addAll(rows.upserts());
        List<Rows> split = new ArrayList<>();
        for (List<PlannedRow> cut : SplitBatchWriter.cut(deletesFirst, parts)) {
            Rows part = new Rows(new ArrayList<>(), new ArrayList<>());
            for (PlannedRow row : cut) {
                if (row instanceof PlannedRow.Upsert u) {
                    part.upserts().add(u);
                } else {
                    part.deletes().add((PlannedRow.Delete) row);
                }
            }
            split.add(part);
        }
        List<Future<Void>> others = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            Connection c = more.get(i - 1);
            Rows part = split.get(i);
            others.add(lanes.submit(() -> {
                write(c, part);
                return null;
            }));
        }
        write(jdbc, split.get(0));
        for (Future<Void> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof SQLException s ? s : new SQLException(e.getCause());
            }
        }
    }

    private void write(Connection jdbc, Rows rows) throws SQLException {
        if (!rows.deletes().isEmpty()) {
            try (PreparedStatement ps = jdbc.prepareStatement(deleteSql)) {
                for (PlannedRow.Delete d : rows.deletes()) {
                    if (crate) {
                        int p = 1;
                        for (Object v : d.keyValues()) {
                            ps.setObject(p++, v);
                        }
                    } else {
                        ps.setString(1, d.key().canonical());
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!rows.upserts().isEmpty()) {
            try (PreparedStatement ps = jdbc.prepareStatement(upsertSql)) {
                for (PlannedRow.Upsert u : rows.upserts()) {
                    dialect.bindUpsert(ps, u);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    void drop() throws SQLException {
        try (Statement st = jdbc.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table.sql());
            st.execute("DROP TABLE IF EXISTS " + tombstones().sql());
        }
    }

    /** The statements that created the tables, once the first batch was planned. */
    List<String> ddl() {
        return ddl;
    }

    /** The upsert without the guard, once the first batch was planned. */
    String upsertSql() {
        return upsertSql;
    }

    /**
     * The texts the dialect binds for one row's upsert, in parameter order: the relay's own
     * binding, recorded, so that a process without the relay's classes can send the same row.
     */
    List<String> boundUpsert(PlannedRow.Upsert row) throws SQLException {
        List<String> values = new ArrayList<>();
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("setString")) {
                        throw new UnsupportedOperationException("the ceiling's rows file holds text only, not "
                                + method.getName());
                    }
                    int index = (Integer) args[0];
                    while (values.size() < index) {
                        values.add(null);
                    }
                    values.set(index - 1, (String) args[1]);
                    return null;
                });
        dialect.bindUpsert(recorder, row);
        return values;
    }

    /** The key schema, once the first batch was planned. */
    KeySchema keys() {
        return keys;
    }

    TableName table() {
        return table;
    }

    Connection connection() {
        return jdbc;
    }

    SinkDialect dialect() {
        return dialect;
    }

    TableName tombstones() {
        return table.withTable(table.table() + "_tombstones");
    }

    /** The relay's own DDL, and its upsert/delete with the guard cut off. */
    private void create(KeySchema keys) throws SQLException {
        ddl = List.copyOf(dialect.createTables(table, tombstones(), keys, DeclaredTypes.NONE));
        try (Statement st = jdbc.createStatement()) {
            for (String statement : ddl) {
                st.execute(statement);
            }
        }
        this.keys = keys;
        planner = new RowPlanner(keys, DeclaredTypes.NONE, dialect.documentMode());
        String guarded = dialect.upsertSql(table, keys);
        String target = guarded.substring(guarded.indexOf("ON CONFLICT ("), guarded.indexOf(" DO UPDATE SET"));
        String insert = dialect.insertIfAbsentSql(table, keys);
        upsertSql = insert.replace("ON CONFLICT DO NOTHING", target + " DO UPDATE SET"
                + " \"data\" = excluded.\"data\", \"aux\" = excluded.\"aux\", \"version\" = excluded.\"version\"");
        String delete = dialect.deleteUnlessNewerSql(table, keys);
        String cut = crate ? " AND \"_seq_no\"" : " AND \"version\"";
        deleteSql = delete.substring(0, delete.indexOf(cut));
    }
}
