package dev.cdcrelay.proof;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.security.KeyStore;
import java.sql.Statement;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second embedded PostgreSQL with TLS on (a self-signed certificate for 127.0.0.1 made with the
 * JDK's own keytool, so the build needs nothing beyond a JDK) and a role that must give its password
 * (scram-sha-256) over TCP: for the TLS proof and the wrong-password path of the secrets proof.
 * The key material lives in a temporary directory that is removed when the JVM ends.
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
            // One hook, in order: the server still reads its key until it stops.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopQuietly();
                deleteTree(dir);
            }));
            Path key = dir.resolve("server.key");
            certificate = dir.resolve("server.crt");
            String why = selfSignedCertificate(dir, key, certificate);
            if (why != null) {
                unavailable = why;
                return;
            }
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("unix_socket_directories", "") // TCP only: nothing left in /tmp
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
        } catch (Exception e) {
            unavailable = "TLS PostgreSQL did not start: " + e;
        }
    }

    /**
     * keytool makes the key pair and certificate in a PKCS#12 store; PostgreSQL wants PEM files, so
     * the key is written as unencrypted PKCS#8 and the certificate as X.509, both base64 in PEM.
     * Returns why it failed, or null.
     */
    private static String selfSignedCertificate(Path dir, Path key, Path cert) throws Exception {
        Path store = dir.resolve("server.p12");
        char[] storePassword = "proof-only".toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(storePassword));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "keytool could not make a certificate: " + out;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, storePassword);
        }
        Files.writeString(key, pem("PRIVATE KEY", ks.getKey("server", storePassword).getEncoded()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
        return null;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void stopQuietly() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
