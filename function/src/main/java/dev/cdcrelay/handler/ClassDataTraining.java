package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.settings.EnvVar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Run once while the image is built, with {@code -XX:ArchiveClassesAtExit}: walks a cold start's
 * path (configuration, handler, decode, plan, a JDBC connection attempt) so the class-data-sharing
 * archive holds those classes and the function's JVM starts faster. Needs no database: the sink
 * address is a closed local port, and the failed connection is part of the path it trains.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    /**
     * The password usually comes from Secrets Manager: load that client's classes too. The endpoint
     * is a closed local port and the credentials come from system properties (first in the default
     * chain), so nothing leaves the build machine.
     */
    private static void trainSecretsManagerPath() {
        System.setProperty("aws.accessKeyId", "training");
        System.setProperty("aws.secretAccessKey", "training");
        try {
            dev.cdcrelay.credentials.SecretsManagerPassword.fetch(
                    "arn:aws:secretsmanager:us-east-1:000000000000:secret:training", "us-east-1", "http://127.0.0.1:1");
        } catch (IllegalStateException expected) {
            // no server there, as intended
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    public static void main(String[] args) throws Exception {
        Class.forName("org.postgresql.Driver");
        Class.forName("io.crate.client.jdbc.CrateDriver");
        trainSecretsManagerPath();
        RelayConfig config = RelayConfig.fromEnvironment(Map.of(
                EnvVar.CRATEDB_JDBC_URL.name(), "jdbc:postgresql://127.0.0.1:1/training",
                EnvVar.CRATEDB_TABLE.name(), "training",
                EnvVar.RELAY_KEY_SCHEMA.name(), "device:S,timestamp:S",
                EnvVar.RELAY_MAX_ATTEMPTS.name(), "1",
                EnvVar.RELAY_CONNECT_TIMEOUT_SECONDS.name(), "1",
                EnvVar.RELAY_DEADLINE_RESERVE_MILLIS.name(), "0"));
        try (Relay relay = Relay.fromConfig(config, line -> { })) {
            RelayHandler handler = new RelayHandler(relay);
            KinesisEvent event = new KinesisEvent();
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String json = "{\"awsRegion\":\"eu-central-1\",\"eventID\":\"e" + i + "\",\"eventName\":\""
                        + (i % 3 == 0 ? "INSERT" : i % 3 == 1 ? "MODIFY" : "REMOVE") + "\","
                        + "\"userIdentity\":null,\"recordFormat\":\"application/json\",\"tableName\":\"t\","
                        + "\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{\"ApproximateCreationDateTime\":"
                        + (1720742302233719L + i) + ",\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                        + "\"Keys\":{\"device\":{\"S\":\"d" + (i % 10) + "\"},\"timestamp\":{\"S\":\"2024-07-12\"}},"
                        + "\"NewImage\":{\"device\":{\"S\":\"d" + (i % 10) + "\"},\"timestamp\":{\"S\":\"2024-07-12\"},"
                        + "\"temperature\":{\"N\":\"43.59\"},\"tags\":{\"SS\":[\"a\",\"b\"]},\"on\":{\"BOOL\":true},"
                        + "\"m\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]},\"b\":{\"B\":\"AQI=\"}}}},"
                        + "\"SizeBytes\":100}}";
                KinesisEvent.Record k = new KinesisEvent.Record();
                k.setSequenceNumber("4954511524344703572546" + String.format("%034d", i));
                k.setPartitionKey("p" + i);
                k.setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
                k.setApproximateArrivalTimestamp(new Date());
                KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
                r.setKinesis(k);
                records.add(r);
            }
            event.setRecords(records);
            var response = handler.handleRequest(event, null);
            System.out.println("class-data training done: " + response.getBatchItemFailures().size()
                    + " failure reported (no database, as intended)");
        }
    }
}
