package dev.cdcrelay.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.metrics.EmfSpecCheck;
import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runtime contract of the image: {@code function/Dockerfile}'s final stage replayed from the
 * file (paths moved into a temporary directory, see {@link ImageFilesystem}), its ENTRYPOINT + CMD
 * started as Lambda starts them, the real runtime interface client from Maven Central talking to a
 * Runtime API in this test, real Kinesis event JSON in, rows in embedded PostgreSQL out.
 *
 * <p>Runs in the integration-test phase (failsafe), after {@code package} has made function.jar and
 * target/lib, which are what the image copies.
 */
class ImageRuntimeContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path MODULE_TARGET = Path.of("target").toAbsolutePath();
    private static final Path TEST_JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path root;

    @BeforeAll
    static void sayWhichJava() {
        System.out.println("[image contract] Lambda runs this image on Java 21, which is not on this machine: the image's"
                + " command line runs here on Java " + System.getProperty("java.version") + " (" + TEST_JAVA_HOME + ")");
    }

    private ImageFilesystem layOut() {
        return ImageFilesystem.layOut(DockerfileStage.finalStageOf(DOCKERFILE), root, MODULE_TARGET, TEST_JAVA_HOME);
    }

    @Test
    void appliesAGoodBatchAndNamesTheFirstRecordOfAPartlyFailedOne() throws Exception {
        String table = TestSinks.freshTable("image");
        KinesisRecords shard = new KinesisRecords();
        List<IncomingRecord> good = List.of(shard.next(reading("a")), shard.next(reading("b")), shard.next(reading("c")));
        IncomingRecord beforePoison = shard.next(reading("d"));
        IncomingRecord poison = shard.next("{\"this is\": \"not a DynamoDB change\"}");
        IncomingRecord afterPoison = shard.next(reading("e"));

        try (RuntimeApiServer api = new RuntimeApiServer();
             ImageLaunch function = ImageLaunch.start(layOut(), api, TestSinks.env(TestSinks.postgresUrl(), table),
                     List.of(), root.resolve("function.log"))) {
            api.invoke("good-batch", KinesisRecords.lambdaEventJson(good));
            RuntimeApiServer.Reply first = reply(api, function);
            assertEquals("good-batch", first.requestId());
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, first.kind(), first.body());
            assertEquals(JSON.readTree("{\"batchItemFailures\":[]}"), JSON.readTree(first.body()));

            api.invoke("partly-failed", KinesisRecords.lambdaEventJson(List.of(beforePoison, poison, afterPoison)));
            RuntimeApiServer.Reply second = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, second.kind(), second.body());
            JsonNode failures = JSON.readTree(second.body()).get("batchItemFailures");
            assertEquals(1, failures.size(), second.body());
            assertEquals(poison.sequenceNumber(), failures.get(0).get("itemIdentifier").asText());
            assertTrue(function.isAlive(), "the runtime keeps polling for the next invocation");
            metricsDocumentsReachStdout(function, List.of("good-batch", "partly-failed"));
        }
        assertTrue(devicesIn(table).containsAll(List.of("a", "b", "c", "d")), "rows: " + devicesIn(table));
    }

    @Test
    void aConfigurationErrorReachesInitErrorNamingTheSettingAndNeverTheSecret() throws Exception {
        String secret = "contract-secret-" + ProcessHandle.current().pid();
        Map<String, String> settings = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), TestSinks.freshTable("image")));
        settings.put("CRATEDB_PASSWORD", secret);
        settings.put("RELAY_ROWS_PER_BATCH", "lots");

        try (RuntimeApiServer api = new RuntimeApiServer();
             ImageLaunch function = ImageLaunch.start(layOut(), api, settings, List.of(), root.resolve("function.log"))) {
            String initError = function.await("a POST to /runtime/init/error", REPLY_WITHIN, api::awaitInitError);
            assertNotEquals(0, function.awaitExit(30), "the runtime stops after a failed init");
            assertTrue(initError.contains("RELAY_ROWS_PER_BATCH"), initError);
            assertFalse(initError.contains(secret), "the init error shows the password: " + initError);
            assertFalse(function.output().contains(secret), "the function's output shows the password");
        }
    }

    /**
     * A cold start as the stack configures one: the password comes from Secrets Manager, so the AWS
     * SDK (which logs through SLF4J 1.7) runs during init. The image ships SLF4J's no-op binding, so
     * not one {@code SLF4J:} line (no binding found, several found) reaches the function's log.
     */
    @Test
    void aColdStartThroughTheAwsSdkPrintsNoSlf4jWarning() throws Exception {
        Map<String, String> settings = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), TestSinks.freshTable("image")));
        String password = settings.remove(EnvVar.CRATEDB_PASSWORD.name());
        try (FakeSecretsManager secrets = FakeSecretsManager.serving(password);
             RuntimeApiServer api = new RuntimeApiServer()) {
            settings.put(EnvVar.CRATEDB_PASSWORD_SECRET_ARN.name(), FakeSecretsManager.ARN);
            settings.put(EnvVar.RELAY_SECRETS_MANAGER_ENDPOINT.name(), secrets.endpoint());
            settings.put("AWS_ACCESS_KEY_ID", "AKIDTEST"); // Lambda sets the role's credentials like this
            settings.put("AWS_SECRET_ACCESS_KEY", "test-secret-key");
            try (ImageLaunch function = ImageLaunch.start(layOut(), api, settings, List.of(), root.resolve("function.log"))) {
                api.invoke("empty", "{\"Records\":[]}");
                RuntimeApiServer.Reply reply = reply(api, function);
                assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, reply.kind(), reply.body());
                assertEquals(1, secrets.requests(), "the password is read from Secrets Manager at init");
                assertEquals(List.of(), function.output().lines().filter(line -> line.contains("SLF4J")).toList(),
                        "SLF4J lines in the function's output:\n" + function.output());
            }
        }
    }

    /**
     * Class data sharing under the image's own command line, with {@code -Xshare:on} so that an
     * archive that cannot be mapped stops the JVM instead of being skipped: the JDK's default
     * archive (the image ships none of its own: docs/performance.md, "The image's launch"), and
     * every {@code -XX:SharedArchiveFile} the command line names, if one is ever added.
     */
    @Test
    void classDataSharingIsMappedUnderTheImagesCommandLine() throws Exception {
        assumeTrue(Files.isRegularFile(TEST_JAVA_HOME.resolve("lib/server/classes.jsa")),
                "skipped: the JDK running the tests (" + TEST_JAVA_HOME + ") ships no default CDS archive");
        ImageFilesystem fs = layOut();
        try (RuntimeApiServer api = new RuntimeApiServer();
             ImageLaunch function = ImageLaunch.start(fs, api, TestSinks.env(TestSinks.postgresUrl(), TestSinks.freshTable("image")),
                     List.of("-Xshare:on", "-Xlog:cds=info"), root.resolve("function.log"))) {
            api.invoke("empty", "{\"Records\":[]}");
            RuntimeApiServer.Reply reply = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, reply.kind(), reply.body());
            String output = function.output();
            assertTrue(Pattern.compile("Mapped static\\s+region").matcher(output).find(), "no CDS region mapped:\n" + output);
            for (String arg : DockerfileStage.finalStageOf(DOCKERFILE).commandLine()) {
                if (arg.startsWith("-XX:SharedArchiveFile=")) {
                    String archive = fs.remap(arg.substring("-XX:SharedArchiveFile=".length()));
                    assertTrue(output.contains(archive), "the image's archive " + archive + " was not opened:\n" + output);
                }
            }
        }
    }

    private static ChangeJson reading(String device) {
        return ChangeJson.insert().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("device", device).set("timestamp", "2024-07-12T01:17:42").set("temperature", 43.59);
    }

    private static RuntimeApiServer.Reply reply(RuntimeApiServer api, ImageLaunch function) throws InterruptedException {
        return function.await("a reply to the invocation", REPLY_WITHIN, api::awaitReply);
    }

    private static TreeSet<String> devicesIn(String table) throws Exception {
        TreeSet<String> devices = new TreeSet<>();
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pk::text FROM \"" + table + "\"")) {
            while (rs.next()) {
                devices.add(JSON.readTree(rs.getString(1)).get("device").asText());
            }
        }
        return devices;
    }

    /**
     * Under the real runtime client, each invocation's metrics document reaches the process's
     * stdout (what Lambda sends to CloudWatch Logs) as one whole line, valid by the EMF rules,
     * carrying its invocation's request id.
     */
    private static void metricsDocumentsReachStdout(ImageLaunch function, List<String> requestIds) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> documents = List.of();
        while (System.nanoTime() < until) {
            documents = function.output().lines().filter(line -> line.startsWith("{\"_aws\"")).toList();
            if (documents.size() >= requestIds.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(requestIds.size(), documents.size(), "one metrics document per invocation:\n" + function.output());
        for (int i = 0; i < documents.size(); i++) {
            assertEquals(List.of(), EmfSpecCheck.problems(documents.get(i)), documents.get(i));
            assertEquals(requestIds.get(i), JSON.readTree(documents.get(i)).get("AWSRequestId").asText());
        }
    }
}
