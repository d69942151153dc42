package dev.cdcrelay.bench;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cold Lambda container does before its first batch is applied: read the configuration
 * from the environment, build the relay (it connects and creates the tables), decode, plan and
 * write one batch. Runs in a child JVM on the packaged function's class path
 * ({@code function.jar} and {@code lib/*}) plus the bench jar; depends on nothing else, so the
 * classes it loads are the function's.
 *
 * <p>Prints {@code APPLIED <ms since process start> <records>} on success, exits 1 otherwise.
 * Environment: the relay's ({@code CRATEDB_JDBC_URL}, ...) and {@code BENCH_ITEM_PREFIX}.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) {
        String prefix = System.getenv().getOrDefault("BENCH_ITEM_PREFIX", "probe");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(System.getenv()), m -> { });
        List<IncomingRecord> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(new IncomingRecord(sequence(i + 1), "", seedJson(prefix + "-" + i, i)
                    .getBytes(StandardCharsets.UTF_8), 0));
        }
        BatchResult r = relay.apply(batch, Deadline.inMillis(60_000));
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        long ms = Duration.between(started, Instant.now()).toMillis();
        relay.close();
        if (!r.fullyHandled() || r.applied() != n) {
            System.out.println("FAILED " + r.summary());
            System.exit(1);
        }
        System.out.println("APPLIED " + ms + " " + n);
        System.out.flush();
    }

    static String sequence(long index) {
        String digits = Long.toString(index);
        return "49654120" + "0".repeat(48 - digits.length()) + digits;
    }

    /** The REFERENCE's MODIFY record (section 1) for another device. */
    static String seedJson(String device, int i) {
        long micros = 1720742302233719L + i;
        return "{\"awsRegion\":\"eu-central-1\",\"eventID\":\"b015b5f0-c095-4b50-8ad0-4279aa3d88c6\","
                + "\"eventName\":\"MODIFY\",\"userIdentity\":null,\"recordFormat\":\"application/json\","
                + "\"tableName\":\"demo-source\",\"eventSource\":\"aws:dynamodb\","
                + "\"dynamodb\":{\"ApproximateCreationDateTime\":" + micros + ","
                + "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"Keys\":{\"device\":{\"S\":\"" + device + "\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"}},"
                + "\"NewImage\":{\"device\":{\"S\":\"" + device + "\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
                + "\"temperature\":{\"N\":\"43.59\"},\"humidity\":{\"N\":\"84.84\"}},"
                + "\"OldImage\":{\"device\":{\"S\":\"" + device + "\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"},"
                + "\"temperature\":{\"N\":\"42.42\"},\"humidity\":{\"N\":\"84.84\"}},"
                + "\"SizeBytes\":161}}";
    }
}
