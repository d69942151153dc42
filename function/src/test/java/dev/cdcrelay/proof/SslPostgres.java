package dev.cdcrelay.proof;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A second embedded PostgreSQL with TLS on (a self-signed certificate for 127.0.0.1 made with
 * openssl) and a role that must give its password (scram-sha-256) over TCP: for the TLS proof and
 * the wrong-password path of the secrets proof. Null when openssl is not available.
 */
final class SslPostgres {

    static final String ROLE = "relay_secret";
    private static EmbeddedPostgres postgres;
    private static Path certificate;
    private static String unavailable;

    private SslPostgres() {
    }

    /** Why it could not start, or null. */
    static synchronized String unavailable() {
        start();
        return unavailable;
    }

    static synchronized EmbeddedPostgres postgres() {
        start();
        return postgres;
    }

    static Path certificate() {
        return certificate;
    }

    private static void start() {
        if (postgres != null || unavailable != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("proof-tls");
            Path key = dir.resolve("server.key");
            certificate = dir.resolve("server.crt");
            List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                unavailable = "openssl could not make a certificate: " + out;
                return;
            }
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", certificate.toString())
                    .setServerConfig("ssl_key_file", key.toString())
                    .start();
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            try (Connection c = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", props);
                 Statement st = c.createStatement()) {
                String hba;
                try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
                    rs.next();
                    hba = rs.getString(1);
                }
                Path hbaFile = Path.of(hba);
                Files.writeString(hbaFile, "host all " + ROLE + " 127.0.0.1/32 scram-sha-256\n"
                        + Files.readString(hbaFile));
                st.execute("SET password_encryption = 'scram-sha-256'");
                st.execute("CREATE ROLE " + ROLE + " LOGIN SUPERUSER PASSWORD 'the-right-one'");
                st.execute("SELECT pg_reload_conf()");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // shutting down
                }
            }));
        } catch (Exception e) {
            unavailable = "TLS PostgreSQL did not start: " + e;
        }
    }
}
