package dev.cdcrelay.local;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.write.TableName;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.cdcrelay.settings.EnvVar.CRATEDB_JDBC_URL;
import static dev.cdcrelay.settings.EnvVar.CRATEDB_PASSWORD;
import static dev.cdcrelay.settings.EnvVar.CRATEDB_TABLE;
import static dev.cdcrelay.settings.EnvVar.CRATEDB_USER;
import static dev.cdcrelay.settings.EnvVar.RELAY_KEY_SCHEMA;

/**
 * Where the local relay writes: the database named by {@code CRATEDB_JDBC_URL} (with
 * {@code CRATEDB_USER} / {@code CRATEDB_PASSWORD}) when that is set, otherwise an embedded
 * PostgreSQL started here (stopped on close).
 */
public final class LocalSink implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Map<String, String> relaySettings;

    private LocalSink(String url, String user, String password, EmbeddedPostgres embedded,
                      Map<String, String> relaySettings) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.relaySettings = relaySettings;
    }

    /** Uses CRATEDB_JDBC_URL from this environment, or starts an embedded PostgreSQL. */
    public static LocalSink start(Map<String, String> env) throws IOException {
        Map<String, String> relay = new HashMap<>();
        for (EnvVar variable : EnvVar.values()) {
            if (variable.name().startsWith("RELAY_") && env.containsKey(variable.name())) {
                relay.put(variable.name(), env.get(variable.name()));
            }
        }
        String url = env.get(CRATEDB_JDBC_URL.name());
        if (url != null && !url.isBlank()) {
            return new LocalSink(url.trim(),
                    env.getOrDefault(CRATEDB_USER.name(), CRATEDB_USER.defaultValue().orElseThrow()),
                    env.getOrDefault(CRATEDB_PASSWORD.name(), ""), null, relay);
        }
        // TCP only (the relay connects to 127.0.0.1): no unix socket left behind in /tmp.
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("unix_socket_directories", "").start();
        return new LocalSink("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "postgres",
                pg, relay);
    }

    public boolean embedded() {
        return embedded != null;
    }

    public String url() {
        return url;
    }

    public String describe() {
        return embedded != null ? "embedded PostgreSQL at " + url : CRATEDB_JDBC_URL + " " + url;
    }

    /** The environment RelayConfig reads: this sink, the table, the key schema, and any RELAY_* given. */
    public Map<String, String> relayEnvironment(String table, String keySchema) {
        Map<String, String> env = new HashMap<>(relaySettings);
        env.put(CRATEDB_JDBC_URL.name(), url);
        env.put(CRATEDB_USER.name(), user);
        env.put(CRATEDB_PASSWORD.name(), password);
        env.put(CRATEDB_TABLE.name(), table);
        env.putIfAbsent(RELAY_KEY_SCHEMA.name(), keySchema);
        return env;
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    /** The rows of the sink table (pk, data, version as text), ordered by pk. */
    public List<String[]> rows(String table) throws SQLException {
        String name = TableName.parse(table, "--table").sql();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (embedded == null) {
                try {
                    s.execute("REFRESH TABLE " + name); // CrateDB: make the latest writes visible
                } catch (SQLException notCrateDb) {
                    // PostgreSQL has no REFRESH TABLE and needs none
                }
            }
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT \"pk\", \"data\", \"version\" FROM " + name)) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            rows.sort((a, b) -> String.valueOf(a[0]).compareTo(String.valueOf(b[0])));
            return rows;
        }
    }

    /** The sink table as a readable text table; versions without their fixed-width zero padding. */
    public String format(String table) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (String[] r : rows(table)) {
            rows.add(new String[] {r[0], r[1], compactVersion(r[2])});
        }
        return formatTable(List.of("pk", "data", "version (change µs:sequence)"), rows);
    }

    /** {@code 00001795513260000001:000...0002} becomes {@code 1795513260000001:2}. */
    static String compactVersion(String version) {
        if (version == null || !version.matches("\\d+:\\d+")) {
            return version;
        }
        int colon = version.indexOf(':');
        return strip(version.substring(0, colon)) + ":" + strip(version.substring(colon + 1));
    }

    private static String strip(String digits) {
        String s = digits.replaceFirst("^0+", "");
        return s.isEmpty() ? "0" : s;
    }

    static String formatTable(List<String> header, List<String[]> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], String.valueOf(r[i]).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, width);
        row(sb, width, header.toArray(String[]::new));
        line(sb, width);
        for (String[] r : rows) {
            row(sb, width, r);
        }
        line(sb, width);
        sb.append('(').append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n');
        return sb.toString();
    }

    private static void line(StringBuilder sb, int[] width) {
        for (int w : width) {
            sb.append('+').append("-".repeat(w + 2));
        }
        sb.append("+\n");
    }

    private static void row(StringBuilder sb, int[] width, String[] cells) {
        for (int i = 0; i < width.length; i++) {
            String c = String.valueOf(cells[i]);
            sb.append("| ").append(c).append(" ".repeat(width[i] - c.length() + 1));
        }
        sb.append("|\n");
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }
}
