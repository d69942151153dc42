package dev.cdcrelay.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One DynamoDB Local (in memory, telemetry off) per test JVM on a free port, and fresh tables in it:
 * the backfill function's Scan and DescribeTable run against it for real. The local module has the
 * same server for its own use (local/.../DynamoDbLocalServer).
 */
public final class DynamoDbLocal {

    public static final String ACCOUNT = "000000000000";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static URI endpoint;
    private static DynamoDbClient client;

    private DynamoDbLocal() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            int port = freePort();
            // DynamoDB Local prints a configuration banner on System.out; tests have no use for it.
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                        "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception e) {
                        // the JVM ends anyway
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            } finally {
                System.setOut(out);
            }
            endpoint = URI.create("http://127.0.0.1:" + port);
        }
        return endpoint;
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.EU_CENTRAL_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
        return client;
    }

    /** A new table keyed like the demo's: hash {@code device} (S), range {@code timestamp} (S). */
    public static String freshTable(String prefix) {
        String name = prefix + "-" + TABLES.incrementAndGet();
        client().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("device").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
        return name;
    }

    /** The ARN DynamoDB Local gives a table. */
    public static String tableArn(String table) {
        return "arn:aws:dynamodb:ddblocal:" + ACCOUNT + ":table/" + table;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
