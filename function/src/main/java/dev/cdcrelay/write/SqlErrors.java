package dev.cdcrelay.write;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

/**
 * Whose problem a database error is, and how to describe it without leaking data.
 *
 * <p>The scope decides what happens to the records: only a {@link Scope#RECORD} error may ever
 * send a record to the dead letters. An error of the sink (the table is blocked, missing, of
 * another layout, not ours to write, the user cannot log in) is never a verdict on a record: the
 * batch is reported, Lambda re-delivers it, and once the sink is fixed the same records apply.
 * The codes and texts below are what PostgreSQL 14 and CrateDB 6.4 report (docs/sink-faults.md
 * has the measured table).
 */
public final class SqlErrors {

    /** Who must act for a retry to succeed. */
    public enum Scope {
        /** Nobody: the connection broke, the cluster is busy or recovering. Retry in place. */
        TRANSIENT,
        /** An operator: the table or the account is wrong. Report the batch; do not retry in place. */
        SINK,
        /** Nobody can: this row can never be stored as it is. */
        RECORD
    }

    /** Exact SQL states of the sink: missing objects, privileges, read-only sessions. */
    private static final Set<String> SINK_STATES = Set.of(
            "42P01",  // undefined_table (CrateDB: RelationUnknown)
            "42703",  // undefined_column: only our own top-level columns are ever named (pk, data, aux, version)
            "42501",  // insufficient_privilege (CrateDB: Missing 'DML' privilege ...)
            "3F000",  // invalid_schema_name (CrateDB: Schema 'doc' unknown, also for a user without any privilege)
            "25006",  // read_only_sql_transaction (a standby, default_transaction_read_only)
            "0A000"); // feature_not_supported: the statement itself is refused, never one row

    /** SQL state classes of the sink: authentication and authorization, missing catalog. */
    private static final Set<String> SINK_CLASSES = Set.of("28", "3D");

    /**
     * Texts CrateDB sends with {@code XX000} (internal error) when the table or cluster refuses
     * every write. A table's {@code blocks.write}, {@code blocks.read_only} or
     * {@code blocks.read_only_allow_delete} (set by CrateDB itself past the disk flood-stage
     * watermark): "The relation "doc.t" doesn't support or allow INSERT operations", or for
     * {@code blocks.read_only_allow_delete} "blocked by: [RELATION_READ_DELETE_ONLY/12/index
     * read-only / allow delete (api)];" (measured on 6.4.3); a cluster's
     * {@code cluster.blocks.read_only}: a ClusterBlockException. Blocks that lift by themselves
     * (SERVICE_UNAVAILABLE: a cluster still recovering, no master) are transient.
     */
    private static final String[] SINK_TEXTS = {
            "doesn't support or allow",
            "blocked by: [",          // CrateDB: blocked by: [RELATION_READ_DELETE_ONLY/12/index read-only / allow delete (api)]
            "is read-only",
            "read_only",
            "read-only",
            "clusterblockexception",
            "cluster_block",
            "missing '",              // CrateDB: Missing 'DML' privilege for user 'u'
            "privilege",
            "relation '",             // CrateDB: Relation 'doc.t' unknown
            "schema '",               // CrateDB: Schema 'x' unknown
            "password authentication failed",
            "authentication failed",
            "trust authentication failed",
            "no valid auth",
    };

    /** Texts of trouble that clears by itself (a node restarting, shards recovering, overload). */
    private static final String[] TRANSIENT_TEXTS = {
            "service_unavailable", "no master", "not recovered",
            "not enough active copies", // measured: write.wait_for_active_shards not met within its timeout
            "shardnotavailable", "no shard available", "shard not available", "no active shard",
            "nodenotconnected", "node not connected", "nodeclosed", "noshardavailableaction",
            "circuitbreaking", "rejected execution", "primary shard is not active", "unavailableshards",
            "connection reset", "connection refused", "this connection has been closed", "timeout",
            "timed out",
    };

    private SqlErrors() {
    }

    /**
     * The scope of an error: the first cause in the chain that says anything decides. A batch's
     * error (pgjdbc's BatchUpdateException) carries the statement's own error as its next exception.
     */
    public static Scope scope(SQLException e) {
        Scope first = scopeOfChain(e);
        if (first == Scope.RECORD && e.getNextException() != null && e.getNextException() != e) {
            return scopeOfChain(e.getNextException());
        }
        return first;
    }

    private static Scope scopeOfChain(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException || t instanceof IOException) {
                return Scope.TRANSIENT;
            }
            if (t instanceof SQLException s) {
                Scope byState = byState(s.getSQLState());
                if (byState != null) {
                    return byState;
                }
                String msg = lower(s.getMessage());
                if (containsAny(msg, TRANSIENT_TEXTS)) {
                    return Scope.TRANSIENT;
                }
                if (containsAny(msg, SINK_TEXTS)) {
                    return Scope.SINK;
                }
            }
        }
        return Scope.RECORD;
    }

    private static Scope byState(String state) {
        if (state == null || state.length() != 5) {
            return null;
        }
        String cls = state.substring(0, 2);
        if (cls.equals("08") // connection exception
                || cls.equals("53") // insufficient resources (disk full, out of memory, too many connections)
                || cls.equals("57") // operator intervention, query cancelled, shutting down
                || state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
            return Scope.TRANSIENT;
        }
        if (SINK_STATES.contains(state) || SINK_CLASSES.contains(cls)) {
            return Scope.SINK;
        }
        return null;
    }

    /** Transient: a retry (on a fresh connection) can succeed without anybody doing anything. */
    public static boolean isTransient(SQLException e) {
        return scope(e) == Scope.TRANSIENT;
    }

    /** Sink-wide: an operator must fix the table, the account or the cluster. */
    public static boolean isSinkWide(SQLException e) {
        return scope(e) == Scope.SINK;
    }

    /** Not this one row's problem: never dead-letter a record for it. */
    public static boolean isNotTheRecords(SQLException e) {
        return scope(e) != Scope.RECORD;
    }

    /**
     * A one-line description: SQL state and the server's message, cut short. For a batch, the
     * statement's own error: pgjdbc's batch message quotes the row's values, which never belong in
     * a log line.
     */
    public static String describe(SQLException e) {
        if (e instanceof BatchUpdateException && e.getNextException() != null && e.getNextException() != e) {
            return describe(e.getNextException());
        }
        String msg = withoutBatchStatement(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        int where = msg.indexOf("\n  Where: ");
        if (where > 0) {
            msg = msg.substring(0, where); // CrateDB sends its Java stack as the CONTEXT
        }
        msg = msg.replace('\n', ' ').replace('\r', ' ');
        if (msg.length() > 300) {
            msg = msg.substring(0, 300) + "...";
        }
        return (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + msg;
    }

    /**
     * pgjdbc (and crate-jdbc's shaded copy) words an aborted batch as "Batch entry N INSERT ...
     * VALUES ('...') was aborted: why", quoting the row's bound values; when the connection breaks
     * mid-batch there is no next exception to describe instead. Keep the entry number and the why.
     */
    private static String withoutBatchStatement(String msg) {
        if (!msg.startsWith("Batch entry ")) {
            return msg;
        }
        int aborted = msg.indexOf(" was aborted");
        int number = msg.indexOf(' ', "Batch entry ".length());
        if (aborted < 0 || number < 0 || number > aborted) {
            return "Batch entry (statement not shown) was aborted";
        }
        return msg.substring(0, number) + msg.substring(aborted);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static boolean containsAny(String text, String[] needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
