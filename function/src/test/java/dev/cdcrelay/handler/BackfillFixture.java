package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.cdcrelay.backfill.JsonTree;
import dev.cdcrelay.backfill.s3.S3ObjectStore;
import dev.cdcrelay.backfill.source.DynamoDbSourceTable;
import dev.cdcrelay.backfill.source.ExportDescription;
import dev.cdcrelay.backfill.source.SourceTable;
import dev.cdcrelay.settings.BackfillSettings;
import dev.cdcrelay.testing.DynamoDbLocal;
import dev.cdcrelay.testing.InMemoryS3Server;
import dev.cdcrelay.testing.TestSinks;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A backfill function as the tests run it: the real handler and tasks, on an S3 of the test's own
 * ({@link InMemoryS3Server}), a DynamoDB Local table (Scan and DescribeTable for real) and a sink;
 * the calls DynamoDB Local does not answer (streaming destination, PITR, exports) come from
 * {@link FakeTable}, whose answers each test sets.
 */
final class BackfillFixture implements AutoCloseable {

    static final String BUCKET = "backfill-test";
    static final String PREFIX = "backfill/";
    static final String STREAM_ARN = "arn:aws:kinesis:eu-central-1:123456789012:stream/demo-changes";
    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    final InMemoryS3Server s3;
    final S3Client s3Client;
    final String ddbTable;
    final String sinkTable;
    final String sinkUrl;
    final BackfillSettings settings;
    final FakeTable table;
    final List<String> logs = new ArrayList<>();
    /** Variables set over the fixture's environment before the tasks are wired. */
    final Map<String, String> envOverrides = new HashMap<>();
    private BackfillTasks tasks;

    BackfillFixture(String sinkUrl) throws IOException {
        this.sinkUrl = sinkUrl;
        s3 = new InMemoryS3Server(1000);
        s3Client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.EU_CENTRAL_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        ddbTable = DynamoDbLocal.freshTable("backfill");
        sinkTable = TestSinks.freshTable("backfill-fn");
        settings = BackfillSettings.read(backfillEnv(ddbTable));
        table = new FakeTable(new DynamoDbSourceTable(DynamoDbLocal.client(), ddbTable, DynamoDbLocal.tableArn(ddbTable)));
    }

    static Map<String, String> backfillEnv(String ddbTable) {
        return Map.of("RELAY_SOURCE_TABLE_ARN", DynamoDbLocal.tableArn(ddbTable), "RELAY_SOURCE_STREAM_ARN", STREAM_ARN,
                "RELAY_BACKFILL_BUCKET", BUCKET, "RELAY_BACKFILL_PREFIX", PREFIX);
    }

    /** The function's whole environment: the sink's, the backfill's; RELAY_KEY_SCHEMA unset (DescribeTable). */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(TestSinks.env(sinkUrl, sinkTable));
        env.putAll(backfillEnv(ddbTable));
        env.putAll(envOverrides);
        return env;
    }

    BackfillHandler handler() {
        return new BackfillHandler(tasks());
    }

    BackfillTasks tasks() {
        if (tasks == null) {
            tasks = BackfillWiring.wire(env(), settings, table, DynamoDbLocal.client(), new S3ObjectStore(s3Client),
                    Clock.fixed(NOW, ZoneOffset.UTC), logs::add);
        }
        return tasks;
    }

    /** Invokes the handler as Lambda would, with this much time left on each remaining-time question. */
    Map<String, Object> invoke(Object event, Context context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler().handleRequest(new ByteArrayInputStream(JsonTree.toJson(event).getBytes(StandardCharsets.UTF_8)), out, context);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) JsonTree.parse(out.toByteArray(), "the handler's output");
        return result;
    }

    Map<String, Object> invoke(Object event) throws IOException {
        return invoke(event, TimedContext.plenty());
    }

    /** Puts every file of an export directory written by ExportWriter under its S3 key (the path below root). */
    void upload(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s3.put(BUCKET, root.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
    }

    /** The lines of the export's manifest-files.json, as the Distributed Map's ItemReader hands them on. */
    static List<Object> manifestEntries(Path exportDir) throws IOException {
        List<Object> entries = new ArrayList<>();
        for (String line : Files.readAllLines(exportDir.resolve("manifest-files.json"))) {
            if (!line.isBlank()) {
                entries.add(JsonTree.parse(line, "manifest-files.json"));
            }
        }
        return entries;
    }

    @Override
    public void close() throws Exception {
        if (tasks != null) {
            tasks.relay().close();
        }
        s3Client.close();
        s3.close();
        if (sinkUrl.equals(TestSinks.postgresUrl()) || sinkUrl.equals(TestSinks.cratedbUrl())) {
            TestSinks.dropTables(sinkUrl, sinkTable);
        }
    }

    /** DescribeTable from DynamoDB Local; the rest as the test sets it. */
    static final class FakeTable implements SourceTable {
        private final SourceTable real;
        String destinationStatus = "ACTIVE";
        boolean pitr = true;
        final Map<String, ExportDescription> exports = new HashMap<>();
        final List<String> requested = new ArrayList<>();

        FakeTable(SourceTable real) {
            this.real = real;
        }

        @Override public String keySchema() { return real.keySchema(); }
        @Override public String streamingDestinationStatus(String streamArn) {
            return streamArn.equals(STREAM_ARN) ? destinationStatus : "NONE";
        }
        @Override public boolean pointInTimeRecovery() { return pitr; }
        @Override public ExportDescription describeExport(String exportArn) {
            ExportDescription e = exports.get(exportArn);
            if (e == null) {
                throw new dev.cdcrelay.backfill.BackfillRefusedException("DescribeExport failed: export not found");
            }
            return e;
        }
        @Override public String requestExport(String bucket, String prefix, String clientToken) {
            requested.add(bucket + "/" + prefix + " token " + clientToken);
            return DynamoDbLocal.tableArn("t") + "/export/01234567890123-abcd1234";
        }
    }

    /** Lambda's context where only the remaining time matters: a budget of remaining-time answers. */
    static final class TimedContext implements Context {
        private final AtomicInteger answers;

        private TimedContext(int plentyAnswers) {
            this.answers = new AtomicInteger(plentyAnswers);
        }

        static TimedContext plenty() {
            return new TimedContext(Integer.MAX_VALUE);
        }

        /** Says "10 minutes left" this many times, then "none". */
        static TimedContext pages(int n) {
            return new TimedContext(n);
        }

        @Override public int getRemainingTimeInMillis() { return answers.getAndDecrement() > 0 ? 600_000 : 0; }
        @Override public String getAwsRequestId() { return "backfill-test"; }
        @Override public String getLogGroupName() { return "/aws/lambda/backfill"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "backfill"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-central-1:123456789012:function:backfill"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.println(message); }
                @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
