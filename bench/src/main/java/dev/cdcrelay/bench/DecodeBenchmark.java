package dev.cdcrelay.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.plan.ChangeReducer;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.plan.DeclaredTypes;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.plan.RowPlanner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decode and plan on one thread, in items per CPU-second of that thread (issue 13, item 3:
 * nested ~2 KB item >= 150,000, seed record >= 500,000). The CPU time is the thread's own
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}), so other work on a shared machine does not
 * lower the figure the way it lowers a wall-clock rate. Each kind is warmed up, then measured in
 * several rounds; the median and the spread of the rounds are printed. Then the same records
 * beside Jackson ({@link Reference}): a rate alone says as much about the machine's hour as
 * about the code. The nested item is measured a second time with every MODIFY carrying its
 * OldImage, as Kinesis sends it (that line is printed, not returned).
 *
 * <pre>mvn -B -q -pl bench -am -DskipTests -Dexec.skip -Dexec.executable=java package exec:exec@decode</pre>
 *
 * <p>System properties: {@code bench.quick=true} (short run), {@code bench.decodeKinds} (a comma
 * list of SEED, NESTED, LARGE; all by default), {@code bench.decodeRounds} (rounds, default 7),
 * {@code bench.decodeRoundSeconds} (seconds of CPU per round, default 2).
 */
public final class DecodeBenchmark {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");

    /**
     * One kind's result: items per CPU-second of each round, and per wall-second of each round; and
     * the reference measured beside it ({@link Reference}).
     */
    public record Rates(double[] perCpuSecond, double[] perWallSecond, double averageBytes, Reference reference) {
        public double medianCpu() {
            return Medians.of(perCpuSecond);
        }

        public double medianWall() {
            return Medians.of(perWallSecond);
        }
    }

    /**
     * Jackson on the same bytes in the same JVM, turns alternating with the relay's so that the
     * machine's speed of the moment (which moved 2x within an hour on the VMs of issue 13) weighs
     * on all three alike: the relay's decode, reduce and plan; Jackson's token walk (every token
     * read, no string or number made: the least any JSON reading does); Jackson's {@code readTree}
     * (a generic tree, nothing validated or written). Items per CPU-second of each, summed over the
     * turns.
     */
    public record Reference(double relay, double jacksonTokens, double jacksonTree) {
        public double relayToTokens() {
            return relay / jacksonTokens;
        }

        public double relayToTree() {
            return relay / jacksonTree;
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();

    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<BenchRecords.Kind> kinds = new ArrayList<>();
        for (String k : System.getProperty("bench.decodeKinds", "SEED,NESTED,LARGE").split(",")) {
            kinds.add(BenchRecords.Kind.valueOf(k.trim()));
        }
        System.out.printf(Locale.ROOT, "java %s (%s), input arguments %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), ManagementFactory.getRuntimeMXBean().getInputArguments());
        run(kinds);
    }

    /** Measures each kind and prints one line per kind; returns the rates. */
    public static Map<BenchRecords.Kind, Rates> run(List<BenchRecords.Kind> kinds) throws InvalidRecordException {
        int rounds = Integer.getInteger("bench.decodeRounds", QUICK ? 2 : 7);
        long roundCpuNanos = Long.getLong("bench.decodeRoundSeconds", QUICK ? 1 : 2) * 1_000_000_000L;
        long warmCpuNanos = (QUICK ? 1 : 4) * 1_000_000_000L;
        System.out.println("Decode and plan (one thread; ChangeDecoder.decode + ChangeReducer + RowPlanner.plan, "
                + "CRATEDB_SAFE); " + rounds + " rounds after warm-up");
        System.out.printf("%-24s %9s %9s %14s %14s %24s%n", "record", "avg bytes", "items", "items/s (wall)",
                "items/CPU-s", "CPU-s rounds min..max");
        Map<BenchRecords.Kind, Rates> out = new EnumMap<>(BenchRecords.Kind.class);
        for (BenchRecords.Kind kind : kinds) {
            int n = kind == BenchRecords.Kind.LARGE ? 100 : 1000;
            out.put(kind, measure(kind.label, BenchRecords.batch(kind, "dp", n, 0.2, 7), rounds, roundCpuNanos,
                    warmCpuNanos));
            if (kind == BenchRecords.Kind.NESTED) {
                // What a stream of MODIFYs costs as Kinesis sends them: each with its OldImage,
                // which is checked like every image and then dropped.
                measure("  MODIFYs with OldImage", BenchRecords.batch(kind, "dp", n, 0.2, 7, true), rounds,
                        roundCpuNanos, warmCpuNanos);
            }
        }
        return out;
    }

    /** Measures one batch: prints its line and the line beside Jackson. */
    private static Rates measure(String label, List<IncomingRecord> batch, int rounds, long roundCpuNanos,
                                 long warmCpuNanos) throws InvalidRecordException {
        ChangeDecoder decoder = new ChangeDecoder();
        KeySchema keys = KeySchema.inferFrom(decoder.decode(batch.get(0)).keys());
        RowPlanner planner = new RowPlanner(keys, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);
        ColumnKinds columnKinds = new ColumnKinds();
        runFor(batch, decoder, planner, columnKinds, warmCpuNanos);
        double[] cpuRates = new double[rounds];
        double[] wallRates = new double[rounds];
        long items = 0;
        for (int i = 0; i < rounds; i++) {
            long[] r = runFor(batch, decoder, planner, columnKinds, roundCpuNanos);
            items += r[0];
            wallRates[i] = r[0] * 1e9 / r[1];
            cpuRates[i] = r[0] * 1e9 / r[2];
        }
        double[] sorted = cpuRates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-24s %,9.0f %,9d %,14.0f %,14.0f %,11.0f..%,-11.0f%n", label,
                BenchRecords.averageBytes(batch), items, Medians.of(wallRates), Medians.of(cpuRates), sorted[0],
                sorted[sorted.length - 1]);
        Reference reference = reference(batch, decoder, planner, columnKinds, QUICK ? 2 : 6, roundCpuNanos / 4);
        System.out.printf(Locale.ROOT, "  beside Jackson, turns alternating: relay %,.0f, Jackson token walk %,.0f,"
                + " Jackson readTree %,.0f items/CPU-s; relay / token walk %.2f, relay / readTree %.2f%n",
                reference.relay(), reference.jacksonTokens(), reference.jacksonTree(), reference.relayToTokens(),
                reference.relayToTree());
        return new Rates(cpuRates, wallRates, BenchRecords.averageBytes(batch), reference);
    }

    private enum Reader { RELAY, JACKSON_TOKENS, JACKSON_TREE }

    private static Reference reference(List<IncomingRecord> batch, ChangeDecoder decoder, RowPlanner planner,
                                       ColumnKinds kinds, int turns, long turnCpuNanos)
            throws InvalidRecordException {
        Reader[] readers = Reader.values();
        long[] items = new long[readers.length];
        long[] cpu = new long[readers.length];
        for (Reader reader : readers) {
            runFor(reader, batch, decoder, planner, kinds, turnCpuNanos); // Jackson's code wants its JIT too
        }
        for (int turn = 0; turn < turns; turn++) {
            for (int i = 0; i < readers.length; i++) {
                Reader reader = readers[turn % 2 == 0 ? i : readers.length - 1 - i];
                long[] r = runFor(reader, batch, decoder, planner, kinds, turnCpuNanos);
                items[reader.ordinal()] += r[0];
                cpu[reader.ordinal()] += r[2];
            }
        }
        return new Reference(items[0] * 1e9 / cpu[0], items[1] * 1e9 / cpu[1], items[2] * 1e9 / cpu[2]);
    }

    private static long[] runFor(List<IncomingRecord> batch, ChangeDecoder decoder, RowPlanner planner,
                                 ColumnKinds kinds, long forCpuNanos) throws InvalidRecordException {
        return runFor(Reader.RELAY, batch, decoder, planner, kinds, forCpuNanos);
    }

    /** Returns {items processed, wall nanos, this thread's CPU nanos}; runs until forCpuNanos of CPU. */
    private static long[] runFor(Reader reader, List<IncomingRecord> batch, ChangeDecoder decoder, RowPlanner planner,
                                 ColumnKinds kinds, long forCpuNanos) throws InvalidRecordException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long items = 0;
        long sink = 0;
        List<ChangeRecord> changes = new ArrayList<>(batch.size());
        while (threads.getCurrentThreadCpuTime() - cpu0 < forCpuNanos) {
            if (reader == Reader.RELAY) {
                changes.clear();
                for (IncomingRecord r : batch) {
                    changes.add(decoder.decode(r));
                }
                Map<ItemKey, ChangeRecord> newest = ChangeReducer.newestPerItem(changes);
                for (ChangeRecord c : newest.values()) {
                    PlannedRow row = planner.plan(c, kinds);
                    sink += row.version().length();
                }
            } else {
                sink += jackson(reader, batch);
            }
            items += batch.size();
        }
        long nanos = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        if (sink == 42) {
            System.out.print("");
        }
        return new long[]{items, nanos, cpu};
    }

    private static long jackson(Reader reader, List<IncomingRecord> batch) {
        long sink = 0;
        try {
            for (IncomingRecord r : batch) {
                if (reader == Reader.JACKSON_TREE) {
                    sink += TREE.readTree(r.data()).size();
                } else {
                    try (JsonParser parser = JSON.createParser(r.data())) {
                        while (parser.nextToken() != null) {
                            sink++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the benchmark's own records are JSON", e);
        }
        return sink;
    }
}
