package dev.cdcrelay.local;

import dev.cdcrelay.backfill.scan.ScanBackfill;
import dev.cdcrelay.backfill.scan.ScanCheckpoint;
import dev.cdcrelay.handler.InvocationReport;
import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The relay on a laptop: DynamoDB Local with a {@code demo-source} table, its stream re-wrapped as
 * Kinesis records, delivered in batches through the real {@link RelayHandler} into CrateDB
 * ({@code CRATEDB_JDBC_URL}) or an embedded PostgreSQL. See the README, "Run it locally", and docs/local.md.
 */
public final class LocalRelay implements AutoCloseable {

    static final String USAGE = """
            usage: LocalRelay [--port 8000] [--table demo-sink] [--source-table demo-source] [--batch-size 100] [--demo]
                              [--reference-rows N] [--existing-items 0] [--no-backfill] [--scan-segments 4]
                              [--scan-read-units 100] [--scan-checkpoint FILE]
              --port N          DynamoDB Local port (listens on all interfaces)
              --table NAME      sink table (created if missing)
              --source-table    DynamoDB table to create and follow
              --batch-size N    records per handler invocation (like the event source mapping's BatchSize)
              --demo            run the walkthrough's INSERT and UPDATE, wait for the relay, print the sink table, exit
              --reference-rows N  rehearse the takeover: first create the sink table in the per-record
                                processor's layout with N rows written its way (foo, ref-1, ...); the
                                relay adopts it in place
              --existing-items N  write N items before the table has a stream (an existing table): only the
                                backfill can bring them (default: 3 with --demo, else 0)
              --no-backfill     follow the stream only; by default a parallel Scan loads what the table holds
                                first, merged safely with the stream (see docs/backfill.md)
              --scan-segments N, --scan-read-units N  the Scan's parallel segments and read capacity per second
              --scan-checkpoint FILE  keep the Scan's progress there: a stopped backfill resumes from its last page
            sink: CRATEDB_JDBC_URL (+ CRATEDB_USER, CRATEDB_PASSWORD) if set, else an embedded PostgreSQL;
                  RELAY_* variables are passed to the relay as they are.""";

    /** Items the demo's table holds before the relay starts: the backfill brings them. */
    static final int DEMO_EXISTING_ITEMS = 3;

    public record Options(int port, String sinkTable, String sourceTable, int batchSize, boolean demo,
                          int referenceRows, int existingItems, boolean backfill, int scanSegments,
                          int scanReadUnits, Optional<Path> scanCheckpoint) {

        public static Options parse(String... args) {
            int port = 8000;
            int batch = 100;
            String table = "demo-sink";
            String source = "demo-source";
            boolean demo = false;
            int referenceRows = 0;
            int existing = -1; // unless given: none, or a few with --demo
            boolean backfill = true;
            int segments = 4;
            int readUnits = 100;
            Optional<Path> checkpoint = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--demo" -> demo = true;
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--table" -> table = value(args, ++i, a);
                    case "--source-table" -> source = value(args, ++i, a);
                    case "--batch-size" -> batch = Integer.parseInt(value(args, ++i, a));
                    case "--reference-rows" -> referenceRows = Integer.parseInt(value(args, ++i, a));
                    case "--existing-items" -> existing = Integer.parseInt(value(args, ++i, a));
                    case "--no-backfill" -> backfill = false;
                    case "--scan-segments" -> segments = Integer.parseInt(value(args, ++i, a));
                    case "--scan-read-units" -> readUnits = Integer.parseInt(value(args, ++i, a));
                    case "--scan-checkpoint" -> checkpoint = Optional.of(Path.of(value(args, ++i, a)));
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (port < 0 || port > 65535 || batch < 1 || batch > 10_000 || referenceRows < 0) {
                throw new IllegalArgumentException("--port must be 0..65535, --batch-size 1..10000 and --reference-rows 0 or more");
            }
            if (existing == -1) {
                existing = demo ? DEMO_EXISTING_ITEMS : 0;
            }
            if (existing < 0 || segments < 1 || segments > ScanBackfill.Settings.MAX_SEGMENTS || readUnits < 1) {
                throw new IllegalArgumentException("--existing-items must not be negative, --scan-segments 1.."
                        + ScanBackfill.Settings.MAX_SEGMENTS + ", --scan-read-units at least 1");
            }
            return new Options(port, table, source, batch, demo, referenceRows, existing, backfill, segments, readUnits,
                    checkpoint);
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
    private final TableDescription sourceTable;
    private final RelayConfig config;
    /** When the source table's stream started: the backfill's precondition is checked against it. */
    private final Instant streamEnabledAt;
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
        TableDescription table;
        if (options.existingItems() > 0) {
            DynamoDbLocalServer.createDemoTableWithoutStream(ddb, options.sourceTable());
            writeExistingItems(options.existingItems());
            streamEnabledAt = Instant.now();
            table = DynamoDbLocalServer.enableStream(ddb, options.sourceTable());
            log.accept("wrote " + options.existingItems() + " item(s) to " + options.sourceTable()
                    + " before it had a stream; only the backfill can bring them");
        } else {
            streamEnabledAt = Instant.now();
            table = DynamoDbLocalServer.createDemoTable(ddb, options.sourceTable());
        }
        sourceTable = table;
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
        config = RelayConfig.fromEnvironment(
                sink.relayEnvironment(options.sinkTable(), DynamoDbLocalServer.keySchemaSetting(table)));
        relay = Relay.fromConfig(config, log);
        KinesisRecordWrapper wrapper = new KinesisRecordWrapper(DynamoDbLocalServer.REGION.id(),
                options.sourceTable(), table.latestStreamArn());
        reader = new StreamReader(streams, table.latestStreamArn(), wrapper);
        InvocationReport report = new InvocationReport(new MetricDimensions(MetricDimensions.OUTSIDE_LAMBDA,
                options.sinkTable()), Clock.systemUTC());
        delivery = new BatchDelivery(new RelayHandler(relay, report, LocalStatus.forStdout()), wrapper,
                options.batchSize(), log);
    }

    public Options options() {
        return options;
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

    /**
     * Loads what the source table holds by a parallel Scan, merged safely with the stream: items are
     * versioned just before the Scan's start, so any change the stream carries after that wins.
     * Call it before following the stream (the stream is read from its start, so nothing is missed
     * while the Scan runs).
     */
    public ScanBackfill.Result backfill() throws Exception {
        // The loaders' relays are configured as the follower's, whose "relay ready" line is already out.
        Consumer<String> withoutReadyLine = line -> {
            if (!line.startsWith("relay ready:")) {
                log.accept(line);
            }
        };
        ScanBackfill.Settings settings = new ScanBackfill.Settings(options.scanSegments(), 1_000,
                options.scanReadUnits(), 1_000, 0);
        ScanCheckpoint checkpoint = options.scanCheckpoint().isPresent()
                ? ScanCheckpoint.open(options.scanCheckpoint().get(), options.sourceTable(), options.scanSegments(), Instant.now())
                : ScanCheckpoint.inMemory(options.sourceTable(), options.scanSegments(), Instant.now());
        List<String> keys = sourceTable.keySchema().stream().map(KeySchemaElement::attributeName).toList();
        return new ScanBackfill(ddb, options.sourceTable(), keys, settings, log)
                .run(checkpoint, streamEnabledAt, () -> Relay.fromConfig(config, withoutReadyLine));
    }

    /** Demo items of an existing table: one device's readings from before the relay. */
    private void writeExistingItems(int n) {
        for (int i = 0; i < n; i++) {
            String device = "existing-" + (i / 3600);
            String at = String.format("2024-07-11T00:%02d:%02d", (i / 60) % 60, i % 60);
            String temperature = String.format(Locale.ROOT, "%.2f", 20 + (i % 100) / 10.0);
            ddb.putItem(b -> b.tableName(options.sourceTable()).item(Map.of(
                    "device", AttributeValue.fromS(device),
                    "timestamp", AttributeValue.fromS(at),
                    "temperature", AttributeValue.fromN(temperature))));
        }
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
            if (options.backfill()) {
                ScanBackfill.Result backfilled = running.backfill();
                backfilled.problems().forEach(p -> log.accept("backfill problem: " + p));
                if (!backfilled.complete()) {
                    log.accept("the backfill did not finish; run again (with --scan-checkpoint it resumes)");
                }
            }
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
