package dev.cdcrelay.testing;

import dev.cdcrelay.settings.EnvVar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for tests: one embedded PostgreSQL per JVM (always), and CrateDB when
 * {@code CRATEDB_JDBC_URL} is set (with {@code CRATEDB_USER} / {@code CRATEDB_PASSWORD}).
 */
public final class TestSinks {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private TestSinks() {
    }

    /** Starts (once) and returns the embedded PostgreSQL. */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                // TCP only: no unix socket left behind in /tmp (/tmp/.s.PGSQL.<port>).
                postgres = EmbeddedPostgres.builder().setServerConfig("unix_socket_directories", "").start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // shutting down anyway
                }
            }));
        }
        return postgres;
    }

    public static String postgresUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres().getPort() + "/postgres";
    }

    /** The CrateDB URL from the environment, or null: tests that need it skip and say why. */
    public static String cratedbUrl() {
        String url = System.getenv("CRATEDB_JDBC_URL");
        return url == null || url.isBlank() ? null : url.trim();
    }

    public static final String CRATEDB_SKIP_REASON =
            "CrateDB tests skipped: set CRATEDB_JDBC_URL (e.g. jdbc:postgresql://127.0.0.1:5432/doc or jdbc:crate://127.0.0.1:5432/) to run them";

    /** Environment for RelayConfig pointing at the given sink and a fresh table. */
    public static Map<String, String> env(String url, String table) {
        Map<String, String> env = new HashMap<>();
        env.put(EnvVar.CRATEDB_JDBC_URL.name(), url);
        if (url.equals(cratedbUrl())) {
            env.put(EnvVar.CRATEDB_USER.name(), System.getenv().getOrDefault(EnvVar.CRATEDB_USER.name(),
                    EnvVar.CRATEDB_USER.defaultValue().orElseThrow()));
            String pw = System.getenv(EnvVar.CRATEDB_PASSWORD.name());
            if (pw != null) {
                env.put(EnvVar.CRATEDB_PASSWORD.name(), pw);
            }
        } else {
            env.put(EnvVar.CRATEDB_USER.name(), "postgres");
            env.put(EnvVar.CRATEDB_PASSWORD.name(), "postgres");
        }
        env.put(EnvVar.CRATEDB_TABLE.name(), table);
        return env;
    }

    /** A table name no other test uses, with a dash to prove quoting. */
    public static String freshTable(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
    }

    /**
     * Drops a relay's table and its tombstone table: a CrateDB cluster holds at most 1,000 shards,
     * so tests that run against CrateDB leave nothing behind.
     */
    public static void dropTables(String url, String table) throws SQLException {
        try (Connection c = connect(url); java.sql.Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS \"" + table + "\"");
            st.execute("DROP TABLE IF EXISTS \"" + table + "_tombstones\"");
        }
    }

    public static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        Map<String, String> env = env(url, "unused");
        p.setProperty("user", env.get(EnvVar.CRATEDB_USER.name()));
        if (env.containsKey(EnvVar.CRATEDB_PASSWORD.name())) {
            p.setProperty("password", env.get(EnvVar.CRATEDB_PASSWORD.name()));
        }
        return DriverManager.getConnection(url, p);
    }
}
