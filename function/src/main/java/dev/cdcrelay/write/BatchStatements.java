package dev.cdcrelay.write;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** JDBC plumbing: one statement, one parameter set per row, one rowcount per row. */
final class BatchStatements {

    private BatchStatements() {
    }

    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Runs the statement once per row as one batch; the rowcounts are in row order. */
    static <T> int[] execute(Attempt attempt, String sql, List<T> rows, Binder<T> binder) throws SQLException {
        try (PreparedStatement ps = attempt.connection().prepareStatement(sql)) {
            ps.setQueryTimeout(attempt.timeoutSeconds());
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            attempt.counters().statements++;
            int[] counts = ps.executeBatch();
            if (counts.length != rows.size()) {
                throw new BatchUpdateException("the sink answered " + counts.length + " rowcounts for "
                        + rows.size() + " rows", counts);
            }
            return counts;
        }
    }
}
