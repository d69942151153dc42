package dev.cdcrelay.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.testing.DynamoDbLocal;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.InMemoryS3Server;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backfill function the way Lambda runs it: the image's ENTRYPOINT with the backfill
 * function's own CMD ({@code dev.cdcrelay.handler.BackfillHandler::handleRequest}, what the stack
 * sets as imageConfig.commands), the real runtime interface client talking to a Runtime API in
 * this test; S3 and DynamoDB reached through the SDK's own endpoint variables (an in-memory S3 and
 * DynamoDB Local); rows in embedded PostgreSQL.
 */
class BackfillImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path MODULE_TARGET = Path.of("target").toAbsolutePath();
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(90);
    private static final List<String> BACKFILL_CMD = List.of("dev.cdcrelay.handler.BackfillHandler::handleRequest");
    private static final String BUCKET = "backfill-image";
    private static final Instant EXPORT_TIME = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @TempDir
    Path root;
    @TempDir
    Path exportRoot;

    @Test
    void loadFileAndScanSegmentAnswerAsTheContractSaysAndARefusalCarriesItsClassName() throws Exception {
        String ddbTable = DynamoDbLocal.freshTable("image-backfill");
        for (int i = 0; i < 4; i++) {
            int n = i;
            DynamoDbLocal.client().putItem(b -> b.tableName(ddbTable).item(Map.of("device", AttributeValue.fromS("scanned"),
                    "timestamp", AttributeValue.fromS("t" + n), "temperature", AttributeValue.fromN("2" + n))));
        }
        String sinkTable = TestSinks.freshTable("image-backfill");
        Path dir = new ExportWriter(exportRoot, EXPORT_TIME).file(List.of(
                Map.of("device", "exported", "timestamp", "t1", "temperature", new BigDecimal("21.5")),
                Map.of("device", "exported", "timestamp", "t2", "temperature", new BigDecimal("22.5")))).write();

        try (InMemoryS3Server s3 = new InMemoryS3Server(1000); RuntimeApiServer api = new RuntimeApiServer();
             ImageLaunch function = ImageLaunch.start(layOut(), api, environment(s3, ddbTable, sinkTable), List.of(),
                     Optional.of(BACKFILL_CMD), root.resolve("function.log"))) {
            upload(s3);
            String entry = Files.readAllLines(dir.resolve("manifest-files.json")).get(0);
            api.invoke("load-file", "{\"action\":\"loadFile\",\"file\":" + entry + ",\"fileIndex\":0,\"bucket\":\"" + BUCKET
                    + "\",\"exportArn\":\"" + DynamoDbLocal.tableArn(ddbTable) + "/export/01234567890123-abcd1234\","
                    + "\"exportTime\":\"" + EXPORT_TIME + "\",\"marginSeconds\":120}");
            RuntimeApiServer.Reply loaded = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, loaded.kind(), loaded.body() + "\n" + function.output());
            JsonNode file = JSON.readTree(loaded.body());
            assertEquals("LOADED", file.get("status").asText(), loaded.body());
            assertEquals(2, file.get("loaded").asLong());

            api.invoke("scan-segment", "{\"action\":\"scanSegment\",\"segment\":0,\"totalSegments\":1,\"scanId\":\"scan-it\","
                    + "\"snapshotTime\":\"" + Instant.now() + "\",\"readUnitsPerSecond\":100.0,\"marginSeconds\":120}");
            RuntimeApiServer.Reply scanned = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, scanned.kind(), scanned.body());
            JsonNode segment = JSON.readTree(scanned.body());
            assertEquals("DONE", segment.get("status").asText(), scanned.body());
            assertEquals(4, segment.get("itemsRead").asLong());
            assertEquals("scan-it", segment.get("scanId").asText(), "the segment's input comes back for the loop");

            api.invoke("bad", "{\"action\":\"loadFile\",\"bucket\":\"another-bucket\"}");
            RuntimeApiServer.Reply refused = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.ERROR, refused.kind(), refused.body());
            assertEquals("dev.cdcrelay.backfill.BackfillRefusedException", JSON.readTree(refused.body()).get("errorType").asText(),
                    "Step Functions matches this name: " + refused.body());
            assertTrue(function.isAlive(), "the runtime keeps polling after a refused task");
        }
        assertEquals(new TreeSet<>(List.of("exported@t1", "exported@t2", "scanned@t0", "scanned@t1", "scanned@t2", "scanned@t3")),
                keysIn(sinkTable));
        TestSinks.dropTables(TestSinks.postgresUrl(), sinkTable);
    }

    /**
     * The DynamoDB client and the backfill's classes are in the same image, but the relay's cold
     * start and invocations must not pay for them: with the image's own CMD no class of either is loaded.
     */
    @Test
    void theRelayFunctionLoadsNoDynamoDbClientAndNoBackfillClass() throws Exception {
        try (RuntimeApiServer api = new RuntimeApiServer();
             ImageLaunch function = ImageLaunch.start(layOut(), api, TestSinks.env(TestSinks.postgresUrl(),
                     TestSinks.freshTable("image-relay")), List.of("-Xlog:class+load=info"), root.resolve("relay.log"))) {
            api.invoke("empty", "{\"Records\":[]}");
            RuntimeApiServer.Reply reply = reply(api, function);
            assertEquals(RuntimeApiServer.Reply.Kind.RESPONSE, reply.kind(), reply.body());
            String output = function.output();
            assertTrue(output.contains("dev.cdcrelay.handler.RelayHandler"), "class loading is logged");
            assertTrue(output.lines().noneMatch(l -> l.contains("software.amazon.awssdk.services.dynamodb")),
                    "the relay loaded a DynamoDB client class");
            assertTrue(output.lines().noneMatch(l -> l.contains("dev.cdcrelay.backfill.")), "the relay loaded a backfill class");
        }
    }

    private ImageFilesystem layOut() {
        return ImageFilesystem.layOut(DockerfileStage.finalStageOf(DOCKERFILE), root, MODULE_TARGET,
                Path.of(System.getProperty("java.home")));
    }

    /** The relay's settings, the backfill's, and the SDK's endpoint variables; RELAY_KEY_SCHEMA unset (DescribeTable). */
    private Map<String, String> environment(InMemoryS3Server s3, String ddbTable, String sinkTable) {
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), sinkTable));
        env.put("RELAY_SOURCE_TABLE_ARN", DynamoDbLocal.tableArn(ddbTable));
        env.put("RELAY_SOURCE_STREAM_ARN", "arn:aws:kinesis:eu-central-1:123456789012:stream/demo-changes");
        env.put("RELAY_BACKFILL_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbLocal.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        return env;
    }

    private void upload(InMemoryS3Server s3) throws Exception {
        try (Stream<Path> files = Files.walk(exportRoot)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s3.put(BUCKET, exportRoot.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
    }

    private static RuntimeApiServer.Reply reply(RuntimeApiServer api, ImageLaunch function) throws InterruptedException {
        return function.await("a reply to the invocation", REPLY_WITHIN, api::awaitReply);
    }

    private static TreeSet<String> keysIn(String table) throws Exception {
        TreeSet<String> keys = new TreeSet<>();
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pk::text FROM \"" + table + "\"")) {
            while (rs.next()) {
                JsonNode pk = JSON.readTree(rs.getString(1));
                keys.add(pk.get("device").asText() + "@" + pk.get("timestamp").asText());
            }
        }
        return keys;
    }
}
