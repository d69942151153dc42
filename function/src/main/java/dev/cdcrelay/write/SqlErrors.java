package dev.cdcrelay.write;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Locale;

/** Which database errors are worth a retry, and how to describe an error without leaking data. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Transient: the connection broke, the server is shutting down or overloaded, or a statement
     * timed out. A retry (on a fresh connection) can succeed. Everything else is a verdict on the
     * row, and repeating it would block the shard for nothing.
     */
    public static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") // connection exception
                        || state.startsWith("53")                // insufficient resources
                        || state.startsWith("57")                // operator intervention, query cancelled
                        || state.equals("40001") || state.equals("40P01") || state.equals("55P03"))) {
                    return true;
                }
                String msg = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
                // CrateDB reports cluster-level trouble as internal errors; these texts mean "try later".
                if (msg.contains("shardnotavailable") || msg.contains("no shard available")
                        || msg.contains("cluster_block") || msg.contains("clusterblock")
                        || msg.contains("nodenotconnected") || msg.contains("node not connected")
                        || msg.contains("circuitbreaking") || msg.contains("rejected execution")
                        || msg.contains("connection reset") || msg.contains("connection refused")
                        || msg.contains("this connection has been closed") || msg.contains("timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A one-line description: SQL state and the server's message, cut short. */
    public static String describe(SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        msg = msg.replace('\n', ' ').replace('\r', ' ');
        if (msg.length() > 300) {
            msg = msg.substring(0, 300) + "...";
        }
        return (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + msg;
    }
}
