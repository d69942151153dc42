package dev.cdcrelay.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * DynamoDB Local 3.x in server mode: in memory, telemetry off, one shared database (so the AWS CLI
 * sees the same tables whatever credentials and region it uses). It listens on all interfaces:
 * DynamoDB Local has no option to bind to one address.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    public static final Region REGION = Region.EU_CENTRAL_1;

    private final int port;
    private final DynamoDBProxyServer server;

    private DynamoDbLocalServer(int port, DynamoDBProxyServer server) {
        this.port = port;
        this.server = server;
    }

    /** Starts the server on this port (0: any free port). */
    public static DynamoDbLocalServer start(int port) throws Exception {
        int p = port == 0 ? freePort() : port;
        // DynamoDB Local prints an eight-line configuration banner on System.out; the relay reports
        // its settings itself, so the banner is discarded (errors still arrive as exceptions).
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(p)});
            server.start();
            return new DynamoDbLocalServer(p, server);
        } finally {
            System.setOut(out);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private static StaticCredentialsProvider dummyCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    public DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(endpoint()).region(REGION)
                .credentialsProvider(dummyCredentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint()).region(REGION)
                .credentialsProvider(dummyCredentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * Creates a table like the seed's {@code demo-source}: hash key {@code device} (S), range key
     * {@code timestamp} (S), stream NEW_AND_OLD_IMAGES. Returns the description (with the stream ARN).
     */
    public static TableDescription createDemoTable(DynamoDbClient ddb, String name) {
        return ddb.createTable(demoTable(name).streamSpecification(newAndOldImages()).build()).tableDescription();
    }

    /** The same table without a stream: an existing table whose items predate the relay. */
    public static TableDescription createDemoTableWithoutStream(DynamoDbClient ddb, String name) {
        return ddb.createTable(demoTable(name).build()).tableDescription();
    }

    /** Turns the table's stream on (NEW_AND_OLD_IMAGES); returns the description with the stream ARN. */
    public static TableDescription enableStream(DynamoDbClient ddb, String name) {
        return ddb.updateTable(b -> b.tableName(name).streamSpecification(newAndOldImages())).tableDescription();
    }

    private static CreateTableRequest.Builder demoTable(String name) {
        return CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("device").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    private static StreamSpecification newAndOldImages() {
        return StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build();
    }

    /** RELAY_KEY_SCHEMA text for a table, e.g. {@code device:S,timestamp:S}. */
    public static String keySchemaSetting(TableDescription table) {
        StringBuilder sb = new StringBuilder();
        for (KeySchemaElement k : table.keySchema()) {
            String type = table.attributeDefinitions().stream()
                    .filter(d -> d.attributeName().equals(k.attributeName()))
                    .map(AttributeDefinition::attributeTypeAsString).findFirst().orElse("S");
            sb.append(sb.length() == 0 ? "" : ",").append(k.attributeName()).append(':').append(type);
        }
        return sb.toString();
    }

    /** Stops the server. Its stop() leaves a non-daemon thread behind: a main must call System.exit. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
