package dev.cdcrelay.local;

import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Several DynamoDB Local tables followed at once, each into its own sink table: what a stack with
 * {@code tables} does in AWS, on a laptop. One DynamoDB Local and one sink; per table its own stream
 * reader, relay and batch delivery, as each table has its own function and mapping in AWS, so a
 * failing table holds up only itself. See docs/local.md, "Several tables at once".
 */
public final class LocalTables implements AutoCloseable {

    static final String USAGE = """
            usage: LocalTables --tables SOURCE=SINK[,SOURCE=SINK...] [--port 8000] [--batch-size 100]
              --tables        DynamoDB tables to create and follow, each with the sink table it is relayed into
              --port N        DynamoDB Local port (listens on all interfaces)
              --batch-size N  records per handler invocation, per table
            sink: CRATEDB_JDBC_URL (+ CRATEDB_USER, CRATEDB_PASSWORD) if set, else an embedded PostgreSQL;
                  RELAY_* variables are passed to every table's relay as they are.""";

    /** One followed table and the sink table it is relayed into. */
    public record TablePair(String sourceTable, String sinkTable) {

        public TablePair {
            Objects.requireNonNull(sourceTable);
            Objects.requireNonNull(sinkTable);
        }

        /** {@code source=sink,source=sink}; a source or sink named twice is refused. */
        public static List<TablePair> parse(String spec) {
            var pairs = new ArrayList<TablePair>();
            var sources = new HashSet<String>();
            var sinks = new HashSet<String>();
            for (var part : spec.split(",")) {
                var sides = part.trim().split("=", -1);
                if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
                    throw new IllegalArgumentException("--tables: '" + part.trim() + "' is not SOURCE=SINK");
                }
                var pair = new TablePair(sides[0].trim(), sides[1].trim());
                if (!sources.add(pair.sourceTable()) || !sinks.add(pair.sinkTable())) {
                    throw new IllegalArgumentException("--tables: '" + part.trim()
                            + "' names a source or sink table twice");
                }
                pairs.add(pair);
            }
            return List.copyOf(pairs);
        }
    }

    /** Everything one table's relay needs, as one function and mapping would have in AWS. */
    private record Follower(TablePair pair, Relay relay, StreamReader reader, BatchDelivery delivery) {
    }

    private final DynamoDbLocalServer server;
    private final DynamoDbClient ddb;
    private final DynamoDbStreamsClient streams;
    private final LocalSink sink;
    private final List<Follower> followers = new ArrayList<>();
    private boolean closed;

    /** Starts DynamoDB Local, creates every source table (keyed like demo-source), connects to the sink. */
    public LocalTables(int port, List<TablePair> pairs, int batchSize, Map<String, String> env, Consumer<String> log)
            throws Exception {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("--tables: name at least one SOURCE=SINK");
        }
        server = DynamoDbLocalServer.start(port);
        ddb = server.client();
        streams = server.streamsClient();
        try {
            sink = LocalSink.start(env);
        } catch (Exception sinkFailed) {
            server.close();
            throw sinkFailed;
        }
        log.accept("DynamoDB Local on port " + server.port() + "; sink: " + sink.describe());
        try {
            follow(pairs, batchSize, log);
        } catch (Exception followFailed) {
            // An embedded PostgreSQL is a process of its own: never leave it behind.
            close();
            throw followFailed;
        }
    }

    private void follow(List<TablePair> pairs, int batchSize, Consumer<String> log) {
        for (var pair : pairs) {
            var table = DynamoDbLocalServer.createDemoTable(ddb, pair.sourceTable());
            var relay = Relay.fromConfig(RelayConfig.fromEnvironment(
                    sink.relayEnvironment(pair.sinkTable(), DynamoDbLocalServer.keySchemaSetting(table))), log);
            var wrapper = new KinesisRecordWrapper(DynamoDbLocalServer.REGION.id(), pair.sourceTable(),
                    table.latestStreamArn());
            followers.add(new Follower(pair, relay, new StreamReader(streams, table.latestStreamArn(), wrapper),
                    new BatchDelivery(new RelayHandler(relay), wrapper, batchSize, log)));
            log.accept("table " + pair.sourceTable() + " -> " + pair.sinkTable() + ", stream " + table.latestStreamArn());
        }
    }

    public DynamoDbClient dynamoDb() {
        return ddb;
    }

    public LocalSink sink() {
        return sink;
    }

    /** One round over every table: read what is new in its stream and deliver it. False if any batch failed. */
    public boolean step() {
        boolean allDelivered = true;
        for (var follower : followers) {
            follower.delivery().add(follower.reader().poll());
            allDelivered &= follower.delivery().deliverPending();
        }
        return allDelivered;
    }

    /** Records acknowledged so far for one source table. */
    public long delivered(String sourceTable) {
        return followers.stream().filter(f -> f.pair().sourceTable().equals(sourceTable))
                .mapToLong(f -> f.delivery().delivered()).sum();
    }

    /** Follows every stream until each table has {@code records} acknowledged, or the time is up. */
    public boolean runUntilEachDelivered(long records, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            step();
            if (followers.stream().allMatch(f -> f.delivery().delivered() >= records && f.delivery().pending() == 0)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        followers.forEach(follower -> follower.relay().close());
        sink.close();
        streams.close();
        ddb.close();
        server.close();
    }

    public static void main(String[] args) {
        int port = 8000;
        int batchSize = 100;
        List<TablePair> pairs = List.of();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--tables" -> pairs = TablePair.parse(value(args, ++i, "--tables"));
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--batch-size" -> batchSize = Integer.parseInt(value(args, ++i, "--batch-size"));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
        } catch (IllegalArgumentException badArgument) {
            System.err.println(badArgument.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Consumer<String> log = message -> System.out.println("[local] " + message);
        int status = 0;
        try {
            var local = new LocalTables(port, pairs, batchSize, System.getenv(), log);
            // Ctrl-C ends the loop below by ending the JVM: the hook stops the embedded PostgreSQL too.
            Runtime.getRuntime().addShutdownHook(new Thread(local::close, "local-tables-shutdown"));
            log.accept("following " + pairs.size() + " streams -- Ctrl-C to stop");
            local.runUntilEachDelivered(Long.MAX_VALUE, Long.MAX_VALUE / 4);
        } catch (Exception failed) {
            System.err.println("local relay failed: " + failed);
            status = 1;
        }
        // DynamoDB Local's stop() leaves a non-daemon thread: exit explicitly.
        System.exit(status);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
