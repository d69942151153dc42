package dev.cdcrelay.proof;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.metrics.EmfSpecCheck;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.LambdaInvocations;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The password never leaves the driver: every failure path runs with a known password while
 * stdout, stderr, the log consumer, every exception (with causes and stack), every batch summary
 * and every dead letter are captured, and the password appears in none of them.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.cdcrelay.testing.ExpectedFailureOutput.class)
class SecretsTest {

    static {
        ProofJvm.driverAssertionsOff();
    }

    private static final String PASSWORD = "S3cr3t-Pa55-" + UUID.randomUUID();
    /** In every good record's payload: it must not reach a metrics document or a log line either. */
    private static final String PAYLOAD = "payload-" + UUID.randomUUID();
    private static long nextIndex = 500_000_000L;

    private final List<String> seen = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();
    private int paths;

    private Map<String, String> env(String url, String table) {
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.put("CRATEDB_PASSWORD", PASSWORD);
        env.put("RELAY_CONNECT_TIMEOUT_SECONDS", "2");
        env.put("RELAY_MAX_ATTEMPTS", "1");
        return env;
    }

    private static IncomingRecord record(byte[] data) {
        return new IncomingRecord(KinesisRecords.sequenceNumber(nextIndex++), "pk", data, 0);
    }

    private static IncomingRecord good(String id) {
        return record(ChangeJson.insert().key("id", id).set("s", PAYLOAD).toBytes());
    }

    private void capture(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        seen.add(w.toString());
    }

    /** Runs a whole relay life: build, apply (through the handler), close; records everything. */
    private void run(Map<String, String> env, List<IncomingRecord> batch) {
        paths++;
        try {
            RelayConfig config = RelayConfig.fromEnvironment(env);
            seen.add(config.toString());
            try (Relay relay = Relay.fromConfig(config, logs::add)) {
                BatchResult r = relay.apply(batch, Deadline.inMillis(10_000));
                seen.add(r.summary());
                seen.addAll(r.failureReasons());
                StreamsEventResponse response = LambdaInvocations.invoke(new RelayHandler(relay), batch,
                        LambdaEvents.context(Deadline.inMillis(10_000)));
                seen.add(String.valueOf(response.getBatchItemFailures()));
            }
        } catch (RuntimeException | AssertionError e) {
            if (e instanceof AssertionError && !ProofJvm.isDriverAssertion(e)) {
                throw e;
            }
            capture(e);
        }
    }

    @Test
    void thePasswordAppearsInNoOutputOnAnyFailurePath(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err, captured), true, StandardCharsets.UTF_8));
        try {
            String pg = TestSinks.postgresUrl();
            // 1. Configuration errors, each with the password set.
            List<Function<Map<String, String>, Map<String, String>>> bad = List.of(
                    e -> put(e, "CRATEDB_JDBC_URL", "jdbc:mysql://h/db?password=" + PASSWORD),
                    e -> put(e, "CRATEDB_JDBC_URL", pg + "?password=" + PASSWORD),
                    e -> put(e, "CRATEDB_JDBC_URL", pg + "?user=x&PASSWORD=" + PASSWORD),
                    // (other settings echo their own bad value, which is fine: none of them is a secret)
                    e -> put(e, "RELAY_TTL_DELETES", "sometimes"),
                    e -> put(e, "RELAY_MAX_ATTEMPTS", "many"),
                    e -> put(e, "RELAY_CREATE_TABLE", "perhaps"),
                    e -> put(e, "CRATEDB_JDBC_URL", "jdbc:postgresql://user:" + PASSWORD + "@h/db"),
                    e -> put(e, "CRATEDB_TABLE", ""),
                    e -> put(put(e, "RELAY_DEAD_LETTER_DIR", "/tmp/x"), "RELAY_DEAD_LETTER_BUCKET", "b"),
                    e -> put(e, "RELAY_KEY_SCHEMA", "id:nonsense"));
            for (Function<Map<String, String>, Map<String, String>> f : bad) {
                paths++;
                try {
                    RelayConfig c = RelayConfig.fromEnvironment(f.apply(env(pg, "t")));
                    seen.add(c.toString());
                } catch (RuntimeException e) {
                    capture(e);
                }
            }
            // 2. RelayConfig.toString with a password and a URL query string.
            RelayConfig ok = RelayConfig.fromEnvironment(put(env(pg, "t"), "CRATEDB_JDBC_URL", pg + "?sslmode=disable"));
            String shown = ok.toString();
            assertTrue(shown.contains("password=(set)"), shown);
            seen.add(shown);
            // 3. Nothing listening, a host that does not exist, the other driver.
            run(env("jdbc:postgresql://127.0.0.1:1/postgres", TestSinks.freshTable("secret")), List.of(good("a")));
            run(env("jdbc:postgresql://no-such-host.invalid:5432/postgres", TestSinks.freshTable("secret")), List.of(good("a")));
            run(env("jdbc:crate://127.0.0.1:1/", TestSinks.freshTable("secret")), List.of(good("a")));
            // 4. Wrong password against a server that checks it (scram-sha-256), and the right one.
            if (SslPostgres.unavailable() == null) {
                String url = "jdbc:postgresql://127.0.0.1:" + SslPostgres.postgres().getPort() + "/postgres";
                Map<String, String> wrong = env(url, TestSinks.freshTable("secret"));
                wrong.put("CRATEDB_USER", SslPostgres.ROLE);
                run(wrong, List.of(good("a")));
                assertTrue(String.join("\n", logs).contains("28P01") || String.join("\n", seen).contains("28P01"),
                        "the wrong password was not rejected by the server: " + logs);
            } else {
                System.out.println("[proof] wrong-password path skipped: " + SslPostgres.unavailable());
            }
            // 5. The connection cut under the relay (the password travels on every reconnect).
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestSinks.postgres().getPort())) {
                Map<String, String> e = env("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                        TestSinks.freshTable("secret"));
                paths++;
                try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(e), logs::add)) {
                    seen.add(relay.apply(List.of(good("a")), Deadline.inMillis(10_000)).summary());
                    proxy.cut();
                    try {
                        BatchResult r = relay.apply(List.of(good("b")), Deadline.inMillis(5_000));
                        assertFalse(r.fullyHandled());
                        seen.add(r.summary());
                    } catch (AssertionError driver) {
                        if (!ProofJvm.isDriverAssertion(driver)) {
                            throw driver;
                        }
                        capture(driver); // pgjdbc's own assert under -ea: a function error
                    }
                }
            }
            // 6. Decode errors and a row the database rejects, with a working and a broken dead-letter directory.
            List<IncomingRecord> poison = new ArrayList<>();
            for (byte[] p : PoisonRecordTest.poison().values()) {
                poison.add(record(p));
            }
            poison.add(good("fine"));
            Path letters = dir.resolve("letters");
            run(put(env(pg, TestSinks.freshTable("secret")), "RELAY_DEAD_LETTER_DIR", letters.toString()), poison);
            Path notADirectory = dir.resolve("file");
            Files.writeString(notADirectory, "x");
            run(put(env(pg, TestSinks.freshTable("secret")), "RELAY_DEAD_LETTER_DIR",
                    notADirectory.resolve("sub").toString()), poison);
            run(env(pg, TestSinks.freshTable("secret")), poison); // no destination: reported
            try (Stream<Path> files = Files.walk(letters)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    seen.add(Files.readString(f));
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        seen.addAll(logs);
        seen.add(captured.toString(StandardCharsets.UTF_8));
        String everything = String.join("\n", seen);
        assertTrue(everything.contains("dead-letter destination failed"), "the dead-letter failure path did not run");
        assertTrue(everything.contains("28P01") || SslPostgres.unavailable() != null, "the wrong-password path did not run");
        assertTrue(everything.length() > 1000, "too little output captured to mean anything");
        assertFalse(everything.contains(PASSWORD), "the password leaked:\n" + excerpt(everything));
        assertFalse(everything.contains(PASSWORD.substring(12)), "part of the password leaked");
        structuredLinesCarryNeitherPasswordNorPayload(captured.toString(StandardCharsets.UTF_8));
        assertEquals(-1, everything.indexOf(PASSWORD));
        ProofFigures.report("secrets", "failurePaths=" + paths + " charactersScanned=" + everything.length()
                + " passwordOccurrences=0");
    }

    private static String excerpt(String all) {
        int at = all.indexOf(PASSWORD);
        return all.substring(Math.max(0, at - 300), Math.min(all.length(), at + 100));
    }

    private static Map<String, String> put(Map<String, String> env, String k, String v) {
        env.put(k, v);
        return env;
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) throws java.io.IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }

    /**
     * The handler's stdout is JSON lines (the EMF metrics document and the structured log lines):
     * the proof above scanned them as text; here they are found and parsed, so a run that printed
     * none of them cannot pass, and neither the password nor a payload is in any of them.
     */
    private static void structuredLinesCarryNeitherPasswordNorPayload(String stdout) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int metrics = 0;
        int batchLines = 0;
        for (String line : stdout.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode node = json.readTree(line);
            if (node.has("_aws")) {
                metrics++;
                assertEquals(List.of(), EmfSpecCheck.problems(line), line);
            } else if ("batch".equals(node.path("message").asText())) {
                batchLines++;
                assertTrue(node.has("level") && node.has("timestamp"), line);
            }
            assertFalse(line.contains(PASSWORD), "the password is in a structured line");
            assertFalse(line.contains(PAYLOAD), "a payload is in a structured line: " + line);
        }
        assertTrue(metrics > 0 && metrics == batchLines,
                "every invocation prints one metrics document and one batch line: " + metrics + " / " + batchLines);
        ProofFigures.report("secrets-structured-lines", "metricsDocuments=" + metrics + " batchLines=" + batchLines);
    }
}
