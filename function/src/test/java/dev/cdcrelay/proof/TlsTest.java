package dev.cdcrelay.proof;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay talks TLS when the URL asks for it, and refuses to go on in clear when TLS is required. */
class TlsTest {

    static {
        ProofJvm.driverAssertionsOff();
    }

    private static long nextIndex = 600_000_000L;

    @BeforeAll
    static void needsTls() {
        String why = SslPostgres.unavailable();
        if (why != null) {
            System.out.println("[proof] TLS tests skipped: " + why);
        }
    }

    /** Per test, so that a run without it counts every test as skipped (not "Tests run: 0"). */
    @org.junit.jupiter.api.BeforeEach
    void needsTlsEachTest() {
        String why = SslPostgres.unavailable();
        Assumptions.assumeTrue(why == null, why);
    }

    private static String base() {
        return "jdbc:postgresql://127.0.0.1:" + SslPostgres.postgres().getPort() + "/postgres";
    }

    private static BatchResult writeOne(String url, String table, List<String> logs) {
        Map<String, String> env = new HashMap<>();
        env.put("CRATEDB_JDBC_URL", url);
        env.put("CRATEDB_USER", "postgres");
        env.put("CRATEDB_TABLE", table);
        env.put("RELAY_CONNECT_TIMEOUT_SECONDS", "3");
        env.put("RELAY_MAX_ATTEMPTS", "1");
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add)) {
            IncomingRecord r = new IncomingRecord(KinesisRecords.sequenceNumber(nextIndex++), "pk",
                    ChangeJson.insert().key("id", "tls").set("s", "over TLS").toBytes(), 0);
            BatchResult result = relay.apply(List.of(r), Deadline.inMillis(20_000));
            if (result.fullyHandled()) {
                assertTrue(sessionsUseTls(), "the relay's session is not encrypted");
            }
            return result;
        }
    }

    /** Whether every live session of the relay (application_name) is encrypted, and there is one. */
    private static boolean sessionsUseTls() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        try (Connection c = DriverManager.getConnection(base(), p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a"
                     + " JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'dynamodb-cdc-relay'")) {
            rs.next();
            return rs.getInt(1) > 0 && rs.getInt(1) == rs.getInt(2);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sslmodeRequireEncryptsTheSession() {
        BatchResult r = writeOne(base() + "?sslmode=require", TestSinks.freshTable("tls-require"), new ArrayList<>());
        assertTrue(r.fullyHandled(), r.summary());
    }

    @Test
    void verifyFullChecksTheCertificateAndTheHostName() {
        String cert = SslPostgres.certificate().toString();
        BatchResult ok = writeOne(base() + "?sslmode=verify-full&sslrootcert=" + cert,
                TestSinks.freshTable("tls-verify"), new ArrayList<>());
        assertTrue(ok.fullyHandled(), ok.summary());
        // The JVM's default trust store does not know the self-signed certificate: refused.
        List<String> logs = new ArrayList<>();
        BatchResult refused = writeOne(base() + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
                TestSinks.freshTable("tls-untrusted"), logs);
        assertFalse(refused.fullyHandled(), refused.summary());
        System.out.println("[proof] untrusted certificate refused: " + refused.failureReasons());
    }

    @Test
    void requiringTlsFromAServerWithoutItFailsInsteadOfFallingBackToClearText() {
        String plain = TestSinks.postgresUrl() + "?sslmode=require";
        List<String> logs = new ArrayList<>();
        BatchResult r = writeOne(plain, TestSinks.freshTable("tls-none"), logs);
        assertFalse(r.fullyHandled(), r.summary());
        assertEquals(1, r.failed());
        System.out.println("[proof] TLS required, server without TLS: " + r.failureReasons());
        ProofFigures.report("tls", "sslmode=require encrypted; verify-full with sslrootcert ok; untrusted cert refused;"
                + " server without TLS refused");
    }
}
