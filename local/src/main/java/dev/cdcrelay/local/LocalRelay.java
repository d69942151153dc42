package dev.cdcrelay.local;

import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The relay on a laptop: DynamoDB Local with a {@code demo-source} table, its stream re-wrapped as
 * Kinesis records, delivered in batches through the real {@link RelayHandler} into CrateDB
 * ({@code CRATEDB_JDBC_URL}) or an embedded PostgreSQL. See the README, "Run it locally", and docs/local.md.
 */
public final class LocalRelay implements AutoCloseable {

    static final String USAGE = """
            usage: LocalRelay [--port 8000] [--table demo-sink] [--source-table demo-source] [--batch-size 100] [--demo]
                              [--reference-rows N]
              --port N          DynamoDB Local port (listens on all interfaces)
              --table NAME      sink table (created if missing)
              --source-table    DynamoDB table to create and follow
              --batch-size N    records per handler invocation (like the event source mapping's BatchSize)
              --demo            run the walkthrough's INSERT and UPDATE, wait for the relay, print the sink table, exit
              --reference-rows N  rehearse the takeover: first create the sink table in the per-record
                                processor's layout with N rows written its way (foo, ref-1, ...); the
                                relay adopts it in place
            sink: CRATEDB_JDBC_URL (+ CRATEDB_USER, CRATEDB_PASSWORD) if set, else an embedded PostgreSQL;
                  RELAY_* variables are passed to the relay as they are.""";

    public record Options(int port, String sinkTable, String sourceTable, int batchSize, boolean demo,
                          int referenceRows) {

        public static Options parse(String... args) {
            int port = 8000;
            int batch = 100;
            String table = "demo-sink";
            String source = "demo-source";
            boolean demo = false;
            int referenceRows = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--demo" -> demo = true;
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--table" -> table = value(args, ++i, a);
                    case "--source-table" -> source = value(args, ++i, a);
                    case "--batch-size" -> batch = Integer.parseInt(value(args, ++i, a));
                    case "--reference-rows" -> referenceRows = Integer.parseInt(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (port < 0 || port > 65535 || batch < 1 || batch > 10_000 || referenceRows < 0) {
                throw new IllegalArgumentException("--port must be 0..65535, --batch-size 1..10000 and --reference-rows 0 or more");
            }
            return new Options(port, table, source, batch, demo, referenceRows);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    private final Options options;
    private final Consumer<String> log;
    private final DynamoDbLocalServer server;
    private final DynamoDbClient ddb;
    private final DynamoDbStreamsClient streams;
    private final LocalSink sink;
    private final Relay relay;
    private final StreamReader reader;
    private final BatchDelivery delivery;
    private final String startupTimings;
    private volatile boolean closed;

    /** Starts DynamoDB Local, creates the source table, starts or connects to the sink. */
    public LocalRelay(Options options, Map<String, String> env, Consumer<String> log) throws Exception {
        this.options = options;
        this.log = log;
        long t0 = System.nanoTime();
        server = DynamoDbLocalServer.start(options.port());
        long started = millisSince(t0);
        ddb = server.client();
        streams = server.streamsClient();
        TableDescription table = DynamoDbLocalServer.createDemoTable(ddb, options.sourceTable());
        long tableReady = millisSince(t0);
        log.accept("DynamoDB Local (in memory, telemetry off) on port " + server.port()
                + ", all interfaces; table " + options.sourceTable() + ", stream " + table.latestStreamArn());
        long t1 = System.nanoTime();
        sink = LocalSink.start(env);
        startupTimings = "DynamoDB Local " + started + " ms, table " + (tableReady - started) + " ms, sink "
                + millisSince(t1) + " ms";
        log.accept("sink: " + sink.describe() + ", table " + options.sinkTable());
        if (options.referenceRows() > 0) {
            log.accept("sink table " + options.sinkTable() + " as the per-record processor left it (no version):\n"
                    + ReferenceTable.prefill(sink, options.sinkTable(), options.referenceRows()));
        }
        relay = Relay.fromConfig(RelayConfig.fromEnvironment(
                sink.relayEnvironment(options.sinkTable(), DynamoDbLocalServer.keySchemaSetting(table))), log);
        KinesisRecordWrapper wrapper = new KinesisRecordWrapper(DynamoDbLocalServer.REGION.id(),
                options.sourceTable(), table.latestStreamArn());
        reader = new StreamReader(streams, table.latestStreamArn(), wrapper);
        delivery = new BatchDelivery(new RelayHandler(relay), wrapper, options.batchSize(), log);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** How long DynamoDB Local, the source table and the sink took to start, on one line. */
    public String startupTimings() {
        return startupTimings;
    }

    public DynamoDbClient dynamoDb() {
        return ddb;
    }

    public LocalSink sink() {
        return sink;
    }

    public int port() {
        return server.port();
    }

    /** One round: read what is new in the stream and deliver it. Returns false after a failed batch. */
    public boolean step() {
        delivery.add(reader.poll());
        return delivery.deliverPending();
    }

    /** Follows the stream until {@code delivered} records were acknowledged or the time is up. */
    public boolean runUntilDelivered(long records, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        long backoff = 200;
        while (!closed && System.currentTimeMillis() < end) {
            boolean ok = step();
            if (delivery.delivered() >= records && delivery.pending() == 0) {
                return true;
            }
            backoff = ok ? 200 : Math.min(backoff * 2, 30_000);
            Thread.sleep(backoff);
        }
        return false;
    }

    /** The walkthrough's two statements (from the per-record processor's guide), through PartiQL. */
    public void seedStatements() {
        String t = options.sourceTable();
        ddb.executeStatement(b -> b.statement("INSERT INTO \"" + t + "\" VALUE {'device':'foo','timestamp':"
                + "'2024-07-12T01:17:42','temperature':42.42,'humidity':84.84}"));
        ddb.executeStatement(b -> b.statement("UPDATE \"" + t + "\" SET temperature = 43.59"
                + " WHERE device = 'foo' AND \"timestamp\" = '2024-07-12T01:17:42'"));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relay.close();
        sink.close();
        streams.close();
        ddb.close();
        server.close();
    }

    /** The demo: the walkthrough's INSERT and UPDATE, the sink table, the timings; 0 when both arrived. */
    static int runDemo(LocalRelay local, Options options, Consumer<String> log) throws Exception {
        long t0 = System.nanoTime();
        local.seedStatements();
        log.accept("ran the walkthrough's INSERT and UPDATE on " + options.sourceTable() + " through ExecuteStatement");
        boolean done = local.runUntilDelivered(2, 60_000);
        long applied = millisSince(t0);
        System.out.print(SinkTablePrinter.print(local.sink().rows(options.sinkTable())));
        log.accept("took: " + local.startupTimings() + ", changes " + (done ? "applied in " : "NOT applied after ")
                + applied + " ms");
        return done ? 0 : 1;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (options.demo()) {
            // The demo prints what the README shows: every line fitted to 100 columns.
            System.setOut(FittedLines.fitting(System.out, SinkTablePrinter.WIDTH));
        }
        Consumer<String> log = m -> System.out.println("[local] " + m);
        int status;
        LocalRelay local = null;
        try {
            local = new LocalRelay(options, System.getenv(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(local::close, "local-relay-shutdown"));
            LocalRelay running = local;
            if (options.demo()) {
                status = runDemo(running, options, log);
            } else {
                log.accept("following the stream; try: aws dynamodb execute-statement --endpoint-url http://localhost:"
                        + local.port() + " --statement \"INSERT INTO \\\"" + options.sourceTable()
                        + "\\\" VALUE {'device':'foo','timestamp':'2024-07-12T01:17:42','temperature':42.42}\""
                        + " -- Ctrl-C to stop");
                local.runUntilDelivered(Long.MAX_VALUE, Long.MAX_VALUE / 4);
                status = 0;
            }
        } catch (Exception e) {
            if (local != null && local.closed) {
                status = 0; // Ctrl-C closed everything under the running loop
            } else {
                System.err.println("local relay failed: " + e);
                status = 1;
            }
        }
        // DynamoDB Local's stop() leaves a non-daemon thread: exit explicitly (the hook cleans up).
        System.exit(status);
    }
}
