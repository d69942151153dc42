package dev.cdcrelay.proof.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.write.CrateDbDialect;
import dev.cdcrelay.write.TableName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real CrateDB cluster named by the environment, and the one command that starts and stops its
 * nodes. The repository carries no CrateDB and no path to one: everything comes from here.
 *
 * <ul>
 *   <li>{@code CRATEDB_CLUSTER_JDBC_URLS}: one or more multi-host JDBC URLs of the same cluster,
 *       separated by whitespace, e.g.
 *       {@code jdbc:crate://127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/
 *       jdbc:postgresql://127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/doc}</li>
 *   <li>{@code CRATEDB_CLUSTER_CONTROL}: an executable taking {@code kill NODE} (SIGKILL),
 *       {@code stop NODE} (SIGTERM, waits), {@code start NODE} (returns once the node answers) and
 *       {@code wait-cluster COUNT} (returns once COUNT nodes are in and health is green).</li>
 *   <li>{@code CRATEDB_CLUSTER_NODES}: the node names that command knows, in the order of the hosts
 *       in the URLs (default {@code c1 c2 c3}).</li>
 *   <li>{@code CRATEDB_CLUSTER_USER} (default {@code crate}) and {@code CRATEDB_CLUSTER_PASSWORD}.</li>
 * </ul>
 */
final class CrateCluster {

    static final String SKIP_REASON = "CrateDB cluster tests skipped: set CRATEDB_CLUSTER_JDBC_URLS (whitespace-separated"
            + " multi-host URLs, e.g. jdbc:crate://127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/) and"
            + " CRATEDB_CLUSTER_CONTROL (a command taking kill|stop|start NODE and wait-cluster COUNT) to run them";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<String> urls;
    private final Path control;
    private final List<String> nodes;
    private final String user;
    private final String password;

    private CrateCluster(List<String> urls, Path control, List<String> nodes, String user, String password) {
        this.urls = List.copyOf(urls);
        this.control = control;
        this.nodes = List.copyOf(nodes);
        this.user = user;
        this.password = password;
    }

    /** The cluster the environment names, or empty when it names none (the tests skip). */
    static Optional<CrateCluster> fromEnvironment() {
        Map<String, String> env = System.getenv();
        String urls = env.getOrDefault("CRATEDB_CLUSTER_JDBC_URLS", "").trim();
        String control = env.getOrDefault("CRATEDB_CLUSTER_CONTROL", "").trim();
        if (urls.isEmpty() || control.isEmpty()) {
            return Optional.empty();
        }
        List<String> nodes = Arrays.asList(env.getOrDefault("CRATEDB_CLUSTER_NODES", "c1 c2 c3").trim().split("\\s+"));
        return Optional.of(new CrateCluster(Arrays.asList(urls.split("\\s+")), Path.of(control), nodes,
                env.getOrDefault("CRATEDB_CLUSTER_USER", "crate"), env.getOrDefault("CRATEDB_CLUSTER_PASSWORD", "")));
    }

    List<String> urls() {
        return urls;
    }

    List<String> nodes() {
        return nodes;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    // ---- node control ----------------------------------------------------------------------------

    /** Runs the control command and waits for it; its output goes to the test's output. */
    void control(String... args) {
        List<String> command = new ArrayList<>();
        command.add(control.toString());
        command.addAll(List.of(args));
        try {
            // Not inheritIO: surefire's forked JVM talks to Maven over its stdout.
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("cluster control timed out: " + command);
            }
            String text = new String(output, StandardCharsets.UTF_8).strip().replace("\n", "; ");
            System.out.println("[cluster] " + String.join(" ", args) + ": " + text);
            if (p.exitValue() != 0) {
                throw new AssertionError("cluster control failed (exit " + p.exitValue() + "): " + command + ": " + text);
            }
        } catch (IOException e) {
            throw new AssertionError("cluster control could not run: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    void awaitGreen() {
        control("wait-cluster", Integer.toString(nodes.size()));
    }

    // ---- SQL -------------------------------------------------------------------------------------

    /** A connection through the given (multi-host) URL: the driver picks a live node. */
    Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, p);
    }

    /**
     * Creates the relay's two tables in the layout the writer itself declares, with the given
     * shards and replicas per shard, spread over all nodes: the writer's CREATE TABLE IF NOT EXISTS then finds them.
     */
    void createReplicatedTables(String url, String table, int shards, int replicas) throws SQLException {
        TableName name = TableName.parse(table, "table");
        List<String> ddl = new CrateDbDialect().createTables(name, name.withTable(table + "_tombstones"),
                KeySchema.parse("id:S", "key"), DeclaredTypes.NONE);
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            // -Dproof.cluster.tombstoneReplicas: the tombstone table's replicas, when they should differ
            int tombstoneReplicas = Integer.getInteger("proof.cluster.tombstoneReplicas", replicas);
            st.execute(ddl.get(0) + " CLUSTERED INTO " + shards + " SHARDS WITH (number_of_replicas = " + replicas + ")");
            st.execute(ddl.get(1) + " CLUSTERED INTO " + shards + " SHARDS WITH (number_of_replicas = "
                    + tombstoneReplicas + ")");
        }
    }

    void dropTables(String url, String table) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS \"" + table + "\"");
            st.execute("DROP TABLE IF EXISTS \"" + table + "_tombstones\"");
        }
    }

    /**
     * The node whose session last ran a statement on the given table (the relay's own session:
     * its statements name the table), if any.
     */
    Optional<String> nodeServing(String url, String table) {
        String sql = "SELECT handler_node FROM sys.sessions WHERE last_statement LIKE ? AND last_statement NOT LIKE ?";
        try (Connection c = connect(url); var ps = c.prepareStatement(sql)) {
            ps.setString(1, "%\"" + table + "%"); // the table or its tombstones
            ps.setString(2, "%sys.sessions%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            System.out.println("[cluster] could not find the relay's node: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The version stored for one key (a primary-key read), "absent", or the error. */
    String storedVersion(String url, String table, String key) {
        try (Connection c = connect(url);
             var ps = c.prepareStatement("SELECT \"version\" FROM \"" + table + "\" WHERE \"pk\"['id'] = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "version=" + rs.getString(1).substring(0, 20) : "absent";
            }
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Every row of the table by its {@code id} key, after a refresh. */
    Map<String, SinkRow> rows(String url, String table) throws Exception {
        Map<String, SinkRow> rows = new TreeMap<>();
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            String t = "\"" + table + "\"";
            st.execute("REFRESH TABLE " + t);
            try (ResultSet rs = st.executeQuery("SELECT pk, data, aux, version FROM " + t)) {
                while (rs.next()) {
                    SinkRow row = new SinkRow(JSON.readTree(rs.getString(1)), tree(rs.getString(2)),
                            tree(rs.getString(3)), rs.getString(4));
                    if (rows.put(row.pk().path("id").asText(), row) != null) {
                        throw new AssertionError("key " + row.pk() + " stored twice in " + table);
                    }
                }
            }
        }
        return rows;
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) throws IOException {
        return json == null ? JSON.createObjectNode() : JSON.readTree(json);
    }

    /** Prints a figures line and appends it to target/proof-figures.txt, like the other proofs. */
    static synchronized void report(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures;
        System.out.println("[proof] " + line);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "proof-figures.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[proof] figures not written: " + e);
        }
    }
}
