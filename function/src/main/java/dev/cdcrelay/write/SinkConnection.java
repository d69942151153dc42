package dev.cdcrelay.write;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The one JDBC connection a Lambda container keeps across invocations: opened at start-up,
 * validated when it sat idle, reopened when broken. Credentials travel as connection properties,
 * never inside a URL that could be logged.
 */
public final class SinkConnection implements AutoCloseable {

    private static final long VALIDATE_AFTER_IDLE_MILLIS = 30_000;
    private static final Executor DIRECT = Runnable::run;

    private final String url;
    private final Properties properties;
    private Connection connection;
    private long lastUsedNanos;

    public SinkConnection(String url, String user, String password, int connectTimeoutSeconds) {
        this.url = url;
        this.properties = new Properties();
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        properties.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
        // A statement timeout makes pgjdbc send a cancel request on a new connection and WAIT for it
        // (default 10 s): against a stalled database that wait alone overran the invocation's deadline.
        properties.setProperty("cancelSignalTimeout", "1");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "dynamodb-cdc-relay");
    }

    /** A live connection: the kept one, validated if it was idle, or a new one. */
    public synchronized Connection get() throws SQLException {
        if (connection != null) {
            boolean idle = System.nanoTime() - lastUsedNanos > VALIDATE_AFTER_IDLE_MILLIS * 1_000_000L;
            if (connection.isClosed() || (idle && !isValid())) {
                discard();
            }
        }
        if (connection == null) {
            connection = DriverManager.getConnection(url, properties);
            connection.setAutoCommit(true);
        }
        lastUsedNanos = System.nanoTime();
        return connection;
    }

    private boolean isValid() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Bounds every socket read of the kept connection, so a database that stops answering cannot
     * hold the invocation past its deadline.
     */
    public synchronized void limitNetworkWait(long millis) throws SQLException {
        if (connection != null) {
            try {
                connection.setNetworkTimeout(DIRECT, (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
            } catch (SQLException | UnsupportedOperationException e) {
                // Drivers without network timeouts still have statement timeouts.
            }
        }
    }

    /** Drops the connection after an error that may have broken it; the next get() reconnects. */
    public synchronized void discard() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken anyway
            }
            connection = null;
        }
    }

    /** The URL without its query string: what may appear in a log line. */
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public synchronized void close() {
        discard();
    }
}
