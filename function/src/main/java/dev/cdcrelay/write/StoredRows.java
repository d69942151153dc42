package dev.cdcrelay.write;

import dev.cdcrelay.plan.PlannedRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows as they are now, read by primary key in chunks, by canonical key: what {@link GuardedDelete}
 * and {@link UpsertApplier} decide on. Rows the sink does not return are missing from the map.
 */
final class StoredRows {

    /** One read of stored rows for a chunk of rows; empty when it has nothing to ask for. */
    @FunctionalInterface
    interface Lookup {
        Optional<PreparedStatement> prepare(List<? extends PlannedRow> chunk) throws SQLException;
    }

    private StoredRows() {
    }

    /** By the sink's own row id ({@link SinkDialect#prepareVersionLookupById}); none where it has none. */
    static Map<String, StoredRow> readById(SinkTables tables, Attempt attempt, List<? extends PlannedRow> rows)
            throws SQLException {
        SinkDialect dialect = tables.dialect();
        return readInChunks(tables, attempt, rows, dialect.keysPerIdLookup(), chunk -> dialect.prepareVersionLookupById(
                attempt.connection(), tables.rows(), tables.keys(), chunk));
    }

    static Map<String, StoredRow> readInChunks(SinkTables tables, Attempt attempt, List<? extends PlannedRow> rows,
                                               int chunkSize, Lookup lookup) throws SQLException {
        SinkDialect dialect = tables.dialect();
        Map<String, StoredRow> found = new HashMap<>();
        for (int from = 0; from < rows.size(); from += chunkSize) {
            Optional<PreparedStatement> prepared = lookup.prepare(rows.subList(from, Math.min(rows.size(), from + chunkSize)));
            if (prepared.isEmpty()) {
                continue;
            }
            try (PreparedStatement ps = prepared.get()) {
                ps.setQueryTimeout(attempt.timeoutSeconds());
                attempt.counters().statements++;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(dialect.readCanonicalKey(rs, tables.keys()), dialect.readStoredRow(rs, tables.keys()));
                    }
                }
            }
        }
        return found;
    }
}
