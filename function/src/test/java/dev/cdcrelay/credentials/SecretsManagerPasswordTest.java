package dev.cdcrelay.credentials;

import com.sun.net.httpserver.HttpServer;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.SeedRecords;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real SDK client against a local server speaking Secrets Manager's JSON protocol. */
class SecretsManagerPasswordTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:relay-pw-AbCdEf";
    private static final StaticCredentialsProvider TEST_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret-key"));

    private HttpServer server;
    private final List<String> targets = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private volatile int status = 200;
    private volatile String secretValue = "postgres";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String body = status == 200
                    ? "{\"ARN\":\"" + ARN + "\",\"Name\":\"relay-pw\",\"SecretString\":\"" + secretValue + "\"}"
                    : "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}";
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            if (status != 200) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "AccessDeniedException");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void readsTheSecretStringOfTheNamedSecret() {
        secretValue = "Pa55-from-the-secret";
        String password = SecretsManagerPassword.fetch(ARN, "eu-central-1", endpoint(), TEST_CREDENTIALS);
        assertEquals("Pa55-from-the-secret", password);
        assertEquals(List.of("secretsmanager.GetSecretValue"), targets);
        assertTrue(bodies.get(0).contains(ARN), bodies.get(0));
    }

    @Test
    void aSecretThatCannotBeReadIsAClearErrorWithoutTheValue() {
        status = 400;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretsManagerPassword.fetch(ARN, "eu-central-1", endpoint(), TEST_CREDENTIALS));
        assertTrue(e.getMessage().startsWith("CRATEDB_PASSWORD_SECRET_ARN: cannot read secret " + ARN), e.getMessage());
        assertFalse(e.getMessage().contains(secretValue));
        assertThrows(IllegalStateException.class, () -> SecretsManagerPassword.fetch(ARN, " ", endpoint(), TEST_CREDENTIALS));
    }

    @Test
    void theRelayConnectsWithThePasswordFromTheSecretAndNeverLogsIt() {
        // The relay uses the default credentials chain, which reads these system properties.
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
        // Embedded PostgreSQL trusts local connections: any password connects, so a distinctive one
        // can be searched for in the logs.
        secretValue = "pw-from-the-secret-7f3a";
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), TestSinks.freshTable("secret-pw")));
        env.remove("CRATEDB_PASSWORD");
        env.put("CRATEDB_PASSWORD_SECRET_ARN", ARN);
        env.put("RELAY_SECRETS_MANAGER_ENDPOINT", endpoint());
        env.put("AWS_REGION", "eu-central-1");
        List<String> logs = new ArrayList<>();
        try (Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add)) {
            KinesisRecords kinesis = new KinesisRecords();
            var result = relay.apply(List.of(kinesis.next(SeedRecords.insert()), kinesis.next(SeedRecords.modify())),
                    Deadline.inMillis(30_000));
            assertTrue(result.fullyHandled(), result.summary());
        }
        assertEquals(1, targets.size(), "read once, at start-up");
        assertTrue(logs.stream().anyMatch(l -> l.contains("password=(from " + ARN + ")")), logs.toString());
        assertTrue(logs.stream().noneMatch(l -> l.contains(secretValue)), logs.toString());
    }

    @Test
    void theSecretAndThePlainPasswordExcludeEachOther() {
        Map<String, String> env = new HashMap<>(TestSinks.env("jdbc:postgresql://127.0.0.1:1/x", "t"));
        env.put("CRATEDB_PASSWORD_SECRET_ARN", ARN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromEnvironment(env));
        assertEquals("CRATEDB_PASSWORD_SECRET_ARN: is set together with CRATEDB_PASSWORD; set one of them",
                e.getMessage());
        env.remove("CRATEDB_PASSWORD");
        env.put("CRATEDB_PASSWORD_SECRET_ARN", "relay-pw");
        e = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromEnvironment(env));
        assertEquals("CRATEDB_PASSWORD_SECRET_ARN: must be a secret's ARN (arn:aws:secretsmanager:...)", e.getMessage());
    }
}
