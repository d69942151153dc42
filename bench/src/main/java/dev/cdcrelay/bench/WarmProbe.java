package dev.cdcrelay.bench;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm container in a child JVM on the packaged class path: 100 consecutive batches through one
 * {@code Relay}, as Lambda feeds a container that stays warm. Each batch of N seed records
 * MODIFYs the N/2 newest items of the batch before and INSERTs N/2 new ones. Prints
 * {@code BATCH <index> <nanos>} after every batch, exits 1 if one is not fully applied.
 * Arguments: batches, records per batch. Environment: the relay's and {@code BENCH_ITEM_PREFIX}.
 */
public final class WarmProbe {

    private WarmProbe() {
    }

    public static void main(String[] args) {
        String prefix = System.getenv().getOrDefault("BENCH_ITEM_PREFIX", "warm");
        int batches = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(System.getenv()), m -> { });
        long sequence = 0;
        for (int b = 0; b < batches; b++) {
            List<IncomingRecord> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int position = b * n + i;
                batch.add(new IncomingRecord(StartupProbe.sequence(++sequence), "",
                        StartupProbe.seedJson(prefix + "-" + (b * (n / 2) + i), position)
                                .getBytes(StandardCharsets.UTF_8), 0));
            }
            long t0 = System.nanoTime();
            BatchResult r = relay.apply(batch, Deadline.inMillis(600_000));
            long nanos = System.nanoTime() - t0;
            if (!r.fullyHandled() || r.deadLettered() > 0) {
                System.out.println("FAILED " + r.summary());
                System.exit(1);
            }
            System.out.println("BATCH " + (b + 1) + " " + nanos);
            System.out.flush();
        }
        relay.close();
    }
}
