package dev.cdcrelay.replay;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code java -jar function.jar replay <file|directory|->}: applies saved records (a Lambda Kinesis
 * event, dead letters, or NDJSON change records) to the sink configured by the same environment
 * variables as the function, and prints what came of them. Re-applying is always safe: the sink
 * keeps the newest version of each item.
 *
 * <p>Exit codes: 0 all handled, 1 some records not applied, 2 bad usage, input or configuration.
 */
public final class ReplayCommand {

    static final int BATCH = 1_000;

    private ReplayCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.in, System.out, System.err);
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("replay")) {
            err.println("usage: java -jar function.jar replay <file|directory|->");
            err.println("  reads a Lambda Kinesis event JSON, dead-letter documents, or NDJSON change records");
            err.println("  and applies them to the sink set by CRATEDB_JDBC_URL, CRATEDB_USER, CRATEDB_PASSWORD,");
            err.println("  CRATEDB_TABLE (and the other RELAY_* variables of the function)");
            return 2;
        }
        List<IncomingRecord> records;
        try {
            records = args[1].equals("-") ? ReplayInput.read("stdin", stdin) : readPath(args[1]);
        } catch (ReplayInput.InvalidInputException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("replay: cannot read " + args[1] + ": " + e.getMessage());
            return 2;
        }
        RelayConfig config;
        try {
            config = RelayConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("replay: configuration: " + e.getMessage());
            return 2;
        }
        Consumer<String> log = line -> err.println("[cdc-relay] " + line);
        int applied = 0;
        int skipped = 0;
        int deadLettered = 0;
        int failed = 0;
        List<String> failedSequences = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try (Relay relay = Relay.fromConfig(config, log)) {
            for (int from = 0; from < records.size(); from += BATCH) {
                List<IncomingRecord> batch = records.subList(from, Math.min(records.size(), from + BATCH));
                BatchResult r = relay.apply(batch, Deadline.none());
                applied += r.applied();
                skipped += r.skipped();
                deadLettered += r.deadLettered();
                failed += r.failed();
                r.firstFailedSequence().ifPresent(failedSequences::add);
                for (String reason : r.failureReasons()) {
                    if (reasons.size() < 10 && !reasons.contains(reason)) {
                        reasons.add(reason);
                    }
                }
            }
        }
        out.println("replayed " + records.size() + " record(s): applied=" + applied + " skipped=" + skipped
                + " deadLettered=" + deadLettered + " failed=" + failed);
        if (failed > 0) {
            out.println("first record not applied, per batch: " + failedSequences);
            reasons.forEach(r -> out.println("  reason: " + r));
        }
        return failed == 0 ? 0 : 1;
    }

    private static List<IncomingRecord> readPath(String arg) throws IOException, ReplayInput.InvalidInputException {
        Path p = Path.of(arg);
        if (!Files.exists(p)) {
            throw new IOException("no such file or directory");
        }
        return ReplayInput.read(p);
    }
}
