package dev.cdcrelay.bench;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * One 10,000-record batch in a child JVM started with a small heap (-Xmx256m): prints the peak
 * heap the batch needed, measured from a collected baseline with the records already in memory
 * (as Lambda holds the event), by the heap pools' peak usage and by the largest heap used seen
 * after a full GC.
 *
 * <p>Prints {@code HEAP <kind> <records> <input MB> <peak pools MB> <live after apply MB> <ms>}.
 * Args: kind (SEED, NESTED, LARGE) and record count. Environment: the relay's.
 */
public final class HeapProbe {

    private HeapProbe() {
    }

    public static void main(String[] args) {
        BenchRecords.Kind kind = BenchRecords.Kind.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        String prefix = System.getenv().getOrDefault("BENCH_ITEM_PREFIX", "heap");
        Relay relay = Relay.fromConfig(RelayConfig.fromEnvironment(System.getenv()), m -> { });
        // Warm the relay (tables, dialect, classes) with a small batch first.
        relay.apply(BenchRecords.batch(kind, prefix + "-warm", 10, 0, 1), Deadline.none());

        List<IncomingRecord> batch = BenchRecords.batch(kind, prefix, n, 0.2, 42);
        long inputBytes = 0;
        for (IncomingRecord r : batch) {
            inputBytes += r.data().length;
        }
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);

        long t0 = System.nanoTime();
        BatchResult r = relay.apply(batch, Deadline.none());
        long ms = (System.nanoTime() - t0) / 1_000_000;

        long peak = 0;
        for (MemoryPoolMXBean p : pools) {
            peak += p.getPeakUsage().getUsed();
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        relay.close();
        if (!r.fullyHandled()) {
            System.out.println("FAILED " + r.summary());
            System.exit(1);
        }
        System.out.printf("HEAP %s %d %.1f %.1f %.1f %.1f %d%n", kind, n, inputBytes / 1048576.0,
                baseline / 1048576.0, peak / 1048576.0, maxHeap / 1048576.0, ms);
    }
}
