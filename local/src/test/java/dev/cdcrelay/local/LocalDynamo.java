package dev.cdcrelay.local;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One DynamoDB Local per test JVM (on a free port), with fresh demo-shaped tables. */
final class LocalDynamo {

    private static DynamoDbLocalServer server;
    private static DynamoDbClient ddb;
    private static DynamoDbStreamsClient streams;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private LocalDynamo() {
    }

    static synchronized DynamoDbLocalServer server() throws Exception {
        if (server == null) {
            server = DynamoDbLocalServer.start(0);
            ddb = server.client();
            streams = server.streamsClient();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    static DynamoDbClient ddb() throws Exception {
        server();
        return ddb;
    }

    static DynamoDbStreamsClient streams() throws Exception {
        server();
        return streams;
    }

    static TableDescription freshTable(String prefix) throws Exception {
        return DynamoDbLocalServer.createDemoTable(ddb(), prefix + "-" + TABLES.incrementAndGet());
    }

    /** Polls until the stream has given nothing new for a while (DynamoDB Local is immediate). */
    static List<KinesisRecordWrapper.Wrapped> drain(StreamReader reader, int atLeast) throws InterruptedException {
        List<KinesisRecordWrapper.Wrapped> all = new ArrayList<>();
        long end = System.currentTimeMillis() + 20_000;
        int quiet = 0;
        while (System.currentTimeMillis() < end && (all.size() < atLeast || quiet < 2)) {
            List<KinesisRecordWrapper.Wrapped> got = reader.poll();
            all.addAll(got);
            quiet = got.isEmpty() ? quiet + 1 : 0;
            if (got.isEmpty()) {
                Thread.sleep(100);
            }
        }
        return all;
    }
}
