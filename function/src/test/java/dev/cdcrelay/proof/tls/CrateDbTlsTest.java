package dev.cdcrelay.proof.tls;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and a password against a real CrateDB (issue 10, item 5), with each driver.
 *
 * <p>The node must have {@code ssl.psql.enabled: true} with its own keystore and accept the
 * password user only over TLS (host-based auth entries with {@code ssl: on}). Environment:
 * {@code CRATEDB_TLS_JDBC_URLS} (whitespace-separated URLs without TLS parameters, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5451/doc jdbc:crate://127.0.0.1:5451/}),
 * {@code CRATEDB_TLS_USER}, {@code CRATEDB_TLS_PASSWORD}, and {@code CRATEDB_TLS_ROOT_CERT} (PEM of
 * the CA that signed the node's certificate). Skipped, saying why, when they are not set.
 */
class CrateDbTlsTest {

    static {
        ClassLoader loader = org.postgresql.Driver.class.getClassLoader();
        for (String p : List.of("org.postgresql", "org.postgresql.jdbc", "org.postgresql.core", "org.postgresql.core.v3")) {
            loader.setPackageAssertionStatus(p, false);
        }
    }

    private static final String SKIP_REASON = "CrateDB TLS tests skipped: set CRATEDB_TLS_JDBC_URLS, CRATEDB_TLS_USER,"
            + " CRATEDB_TLS_PASSWORD and CRATEDB_TLS_ROOT_CERT (a CrateDB node with ssl.psql.enabled and a password"
            + " user that must use TLS) to run them";
    private static long nextIndex = 700_000_000L + (ProcessHandle.current().pid() % 1000) * 100_000L;

    private record Node(List<String> urls, String user, String password, Path rootCert) {
    }

    private static Node nodeOrSkip() {
        Map<String, String> env = System.getenv();
        List<String> missing = Stream.of("CRATEDB_TLS_JDBC_URLS", "CRATEDB_TLS_USER", "CRATEDB_TLS_PASSWORD",
                "CRATEDB_TLS_ROOT_CERT").filter(k -> env.getOrDefault(k, "").isBlank()).toList();
        if (!missing.isEmpty()) {
            System.out.println("[proof] " + SKIP_REASON + " (missing: " + missing + ")");
        }
        Assumptions.assumeTrue(missing.isEmpty(), SKIP_REASON);
        return new Node(Arrays.asList(env.get("CRATEDB_TLS_JDBC_URLS").trim().split("\\s+")),
                env.get("CRATEDB_TLS_USER").trim(), env.get("CRATEDB_TLS_PASSWORD"), Path.of(env.get("CRATEDB_TLS_ROOT_CERT")));
    }

    private static String withParameters(String url, String parameters) {
        return url + (url.contains("?") ? "&" : "?") + parameters;
    }

    private static String verifyFull(String url, Path rootCert) {
        return withParameters(url, "sslmode=verify-full&sslrootcert=" + rootCert);
    }

    private static String driver(String url) {
        return url.startsWith("jdbc:crate:") ? "crate-jdbc" : "pgjdbc";
    }

    /** One record through a fresh relay; every summary, reason and log line is added to {@code seen}. */
    private static BatchResult writeOne(String url, String user, String password, String table, Path deadLetters,
                                        List<String> seen) {
        return writeOne(url, user, password, table, deadLetters, seen, () -> { });
    }

    /** The same; {@code whileConnected} runs after the write, before the relay closes its connection. */
    private static BatchResult writeOne(String url, String user, String password, String table, Path deadLetters,
                                        List<String> seen, Runnable whileConnected) {
        Map<String, String> env = new HashMap<>();
        env.put("CRATEDB_JDBC_URL", url);
        env.put("CRATEDB_USER", user);
        env.put("CRATEDB_PASSWORD", password);
        env.put("CRATEDB_TABLE", table);
        env.put("RELAY_DEAD_LETTER_DIR", deadLetters.toString());
        env.put("RELAY_CONNECT_TIMEOUT_SECONDS", "5");
        env.put("RELAY_MAX_ATTEMPTS", "1");
        RelayConfig config = RelayConfig.fromEnvironment(env);
        seen.add(config.toString());
        try (Relay relay = Relay.fromConfig(config, seen::add)) {
            IncomingRecord r = new IncomingRecord(KinesisRecords.sequenceNumber(nextIndex++), "pk",
                    ChangeJson.insert().key("id", "tls").set("s", "over TLS").toBytes(), 0);
            BatchResult result = relay.apply(List.of(r), Deadline.inMillis(20_000));
            seen.add(result.summary());
            seen.addAll(result.failureReasons());
            whileConnected.run();
            return result;
        }
    }

    private static String table(String what) {
        return "tls-" + what + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void verifyFullWithTheNodesCaConnectsAndWritesWithEachDriver(@TempDir Path dir) throws Exception {
        Node node = nodeOrSkip();
        for (String base : node.urls()) {
            String url = verifyFull(base, node.rootCert());
            String table = table("ok");
            List<String> sessions = new ArrayList<>();
            BatchResult r = writeOne(url, node.user(), node.password(), table, dir.resolve("dl"), new ArrayList<>(),
                    () -> sessions.addAll(sessionsOf(url, node.user())));
            assertTrue(r.fullyHandled(), driver(base) + ": " + r.summary());
            assertFalse(sessions.isEmpty(), "the relay's session is not in sys.sessions");
            assertTrue(sessions.stream().allMatch(x -> x.endsWith("ssl=true")), "a session of " + node.user()
                    + " is not encrypted: " + sessions);
            assertEquals(1, r.applied(), r.summary());
            try (Connection c = connect(url, node.user(), node.password()); Statement st = c.createStatement()) {
                st.execute("REFRESH TABLE \"" + table + "\"");
                try (ResultSet rs = st.executeQuery("SELECT data['s'] FROM \"" + table + "\" WHERE pk['id'] = 'tls'")) {
                    assertTrue(rs.next(), "the row written over TLS is not there");
                    assertEquals("over TLS", rs.getString(1));
                }
                st.execute("DROP TABLE \"" + table + "\"");
                st.execute("DROP TABLE IF EXISTS \"" + table + "_tombstones\"");
            }
            System.out.println("[proof] " + driver(base) + " verify-full against CrateDB: " + r.summary()
                    + "; the node's sessions of " + node.user() + ": " + sessions);
        }
        assertNoDeadLetters(dir.resolve("dl"));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedWithEachDriver(@TempDir Path dir) throws Exception {
        Node node = nodeOrSkip();
        Path otherCa = someOtherCa(dir);
        for (String base : node.urls()) {
            List<String> seen = new ArrayList<>();
            BatchResult r = writeOne(verifyFull(base, otherCa), node.user(), node.password(), table("untrusted"),
                    dir.resolve("dl"), seen);
            assertFalse(r.fullyHandled(), driver(base) + " accepted a certificate its root does not vouch for: "
                    + r.summary());
            assertEquals(1, r.failed(), r.summary());
            assertEquals(0, r.deadLettered(), "a sink problem was blamed on the record: " + r.summary());
            String reasons = String.join(" ", r.failureReasons());
            assertTrue(reasons.contains("SSL") || reasons.contains("PKIX") || reasons.contains("certif"),
                    "the reason does not say it is the certificate: " + reasons);
            System.out.println("[proof] " + driver(base) + " untrusted certificate refused: " + r.failureReasons());
        }
        assertNoDeadLetters(dir.resolve("dl"));
    }

    @Test
    void thePasswordUserIsRefusedInClearTextWithEachDriver(@TempDir Path dir) throws Exception {
        Node node = nodeOrSkip();
        for (String base : node.urls()) {
            BatchResult r = writeOne(withParameters(base, "sslmode=disable"), node.user(), node.password(),
                    table("clear"), dir.resolve("dl"), new ArrayList<>());
            assertFalse(r.fullyHandled(), driver(base) + " logged in without TLS: the node does not require it");
            assertEquals(0, r.deadLettered(), r.summary());
            System.out.println("[proof] " + driver(base) + " without TLS refused: " + r.failureReasons());
        }
        assertNoDeadLetters(dir.resolve("dl"));
    }

    /**
     * Every path above plus a wrong password, with stdout, stderr, the relay's log, summaries,
     * reasons and any exception captured: neither the password nor the wrong one appears.
     */
    @Test
    void thePasswordAppearsInNoOutput(@TempDir Path dir) throws Exception {
        Node node = nodeOrSkip();
        String wrong = "Wr0ng-" + UUID.randomUUID();
        Path otherCa = someOtherCa(dir);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err, captured), true, StandardCharsets.UTF_8));
        int paths = 0;
        try {
            for (String base : node.urls()) {
                List<String[]> cases = List.of(
                        new String[] {verifyFull(base, node.rootCert()), node.password()},
                        new String[] {verifyFull(base, node.rootCert()), wrong},
                        new String[] {verifyFull(base, otherCa), node.password()},
                        new String[] {withParameters(base, "sslmode=disable"), node.password()},
                        new String[] {withParameters(base, "sslmode=require"), node.password()});
                for (String[] c : cases) {
                    paths++;
                    try {
                        writeOne(c[0], node.user(), c[1], table("secret"), dir.resolve("dl"), seen);
                    } catch (RuntimeException | AssertionError e) {
                        StringWriter w = new StringWriter();
                        e.printStackTrace(new PrintWriter(w));
                        seen.add(w.toString());
                    }
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        seen.add(captured.toString(StandardCharsets.UTF_8));
        String everything = String.join("\n", seen);
        assertTrue(everything.contains("password authentication failed"), "the wrong-password path did not run:\n"
                + everything.substring(0, Math.min(2000, everything.length())));
        assertFalse(everything.contains(node.password()), "the password leaked");
        assertFalse(everything.contains(wrong), "the wrong password leaked");
        System.out.println("[proof] tls/cratedb secrets: failurePaths=" + paths + " charactersScanned="
                + everything.length() + " passwordOccurrences=0");
        dropLeftovers(node);
    }

    /**
     * The node's own view of the user's sessions ({@code sys.sessions}, read as the superuser
     * {@code CRATEDB_TLS_ADMIN_USER}, default {@code crate}, without a password): "node ssl=true|false".
     */
    private static List<String> sessionsOf(String url, String user) {
        String admin = System.getenv().getOrDefault("CRATEDB_TLS_ADMIN_USER", "crate");
        Properties p = new Properties();
        p.setProperty("user", admin);
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, p);
             var ps = c.prepareStatement("SELECT handler_node, ssl FROM sys.sessions WHERE auth_user = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " ssl=" + rs.getBoolean(2));
                }
            }
        } catch (Exception e) {
            throw new AssertionError("could not read sys.sessions as " + admin + " (set CRATEDB_TLS_ADMIN_USER): " + e, e);
        }
        return out;
    }

    /** A real CA certificate that did not sign the node's: the first one in the JVM's trust store. */
    private static Path someOtherCa(Path dir) throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (var in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        Certificate cert = cacerts.getCertificate(Collections.list(cacerts.aliases()).get(0));
        Path pem = dir.resolve("other-ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return pem;
    }

    private static Connection connect(String url, String user, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    /** The password paths create tables only where the login worked: drop those. */
    private static void dropLeftovers(Node node) throws Exception {
        String url = verifyFull(node.urls().get(0), node.rootCert());
        try (Connection c = connect(url, node.user(), node.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'doc'"
                     + " AND table_name LIKE 'tls-secret-" + ProcessHandle.current().pid() + "-%'")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            for (String t : tables) {
                st.execute("DROP TABLE IF EXISTS \"" + t + "\"");
            }
        }
    }

    private static void assertNoDeadLetters(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "records were dead-lettered");
            }
        }
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }
}
