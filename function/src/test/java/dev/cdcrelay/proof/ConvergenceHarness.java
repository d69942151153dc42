package dev.cdcrelay.proof;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.write.Deadline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The convergence proof, reusable: an in-memory source table (the truth) takes a seeded random
 * sequence of puts, full-image updates, user deletes and TTL deletes on a small key space, with
 * attribute types drifting between items and versions, and emits the change records DynamoDB
 * would. A simulated Lambda event source mapping then delivers them to {@link Relay#apply} in
 * batches with duplicates, delays (reordering across batches), re-deliveries from an earlier
 * checkpoint, and honours {@code firstFailedSequence}. Afterwards the sink must equal the truth,
 * key by key.
 */
public final class ConvergenceHarness {

    static final String KEY = "id";
    private static final long T0 = 1_720_742_302_233_719L;

    /** One change as the source emitted it. */
    public record Change(IncomingRecord record, String key, String eventName, boolean ttl, long micros) {
    }

    /** How hostile the delivery is. */
    public record Delivery(int maxBatch, double duplicateRate, double delayRate, int maxDelay,
                           double redeliverRate) {
        public static Delivery hostile() {
            return new Delivery(60, 0.15, 0.2, 150, 0.15);
        }
    }

    /** Called before each batch; may cut or restore the sink. Returns true when it injected a fault. */
    @FunctionalInterface
    public interface FaultInjector {
        boolean beforeBatch(Random random, int batchNumber);
    }

    /** Figures of one run. */
    public static final class Figures {
        public long operations;
        public long inserts;
        public long modifies;
        public long removes;
        public long ttlRemoves;
        public long sameMicrosecondTies;
        public long recordsDelivered;
        public long duplicates;
        public long delayed;
        public long batches;
        public long failedBatches;
        public long redeliveries;
        public long faultsInjected;
        public long functionErrors;
        public long lost;

        @Override
        public String toString() {
            return "operations=" + operations + " (insert=" + inserts + " modify=" + modifies + " remove=" + removes
                    + " ttlRemove=" + ttlRemoves + " sameMicrosecondTies=" + sameMicrosecondTies + ")"
                    + " recordsDelivered=" + recordsDelivered + " duplicates=" + duplicates + " delayed=" + delayed
                    + " batches=" + batches + " failedBatches=" + failedBatches + " redeliveries=" + redeliveries
                    + " faultsInjected=" + faultsInjected + " functionErrors=" + functionErrors + " lost=" + lost;
        }
    }

    private final long seed;
    private final Random random;
    private final int keySpace;
    private final Map<String, Map<String, Object>> truth = new TreeMap<>();
    private final List<Change> stream = new ArrayList<>();
    private final Figures figures = new Figures();
    private long micros = T0;
    private long nextIndex;
    /** The last exception Relay.apply threw (a Lambda function error), for the report. */
    public Throwable lastFunctionError;

    public ConvergenceHarness(long seed, int keySpace) {
        this.seed = seed;
        this.random = new Random(seed);
        this.keySpace = keySpace;
        this.nextIndex = 1 + (seed & 0xffff) * 10_000_000L;
    }

    public long seed() {
        return seed;
    }

    public Figures figures() {
        return figures;
    }

    public Map<String, Map<String, Object>> truth() {
        return truth;
    }

    public List<Change> stream() {
        return stream;
    }

    // ---- the source table ------------------------------------------------------------------------

    /** Runs this many random operations on the source table, recording the change stream. */
    public ConvergenceHarness operate(int operations) {
        for (int i = 0; i < operations; i++) {
            String key = "k" + random.nextInt(keySpace);
            if (random.nextInt(5) == 0) {
                figures.sameMicrosecondTies++; // same µs as the previous change: the sequence number decides
            } else {
                micros += 1 + random.nextInt(5_000);
            }
            Map<String, Object> before = truth.get(key);
            ChangeJson change;
            String name;
            boolean ttl = false;
            if (before == null) {
                Map<String, Object> after = randomImage();
                change = ChangeJson.insert().key(KEY, key);
                after.forEach(change::set);
                truth.put(key, after);
                name = "INSERT";
                figures.inserts++;
            } else {
                double p = random.nextDouble();
                if (p < 0.6) {
                    Map<String, Object> after = random.nextBoolean() ? randomImage() : tweak(before);
                    change = ChangeJson.modify().key(KEY, key);
                    after.forEach(change::set);
                    before.forEach(change::old);
                    truth.put(key, after);
                    name = "MODIFY";
                    figures.modifies++;
                } else {
                    change = ChangeJson.remove().key(KEY, key);
                    before.forEach(change::old);
                    ttl = p >= 0.8;
                    if (ttl) {
                        change.ttl();
                        figures.ttlRemoves++;
                    } else {
                        figures.removes++;
                    }
                    truth.remove(key);
                    name = "REMOVE";
                }
            }
            change.micros(micros);
            IncomingRecord record = new IncomingRecord(KinesisRecords.sequenceNumber(nextIndex++), change.partitionKey(),
                    change.toBytes(), micros / 1000);
            stream.add(new Change(record, key, name, ttl, micros));
            figures.operations++;
        }
        return this;
    }

    private Map<String, Object> randomImage() {
        Map<String, Object> item = new LinkedHashMap<>();
        if (random.nextInt(10) < 8) {
            item.put("s", randomText());
        }
        if (random.nextInt(10) < 8) {
            item.put("n", randomNumber());
        }
        if (random.nextInt(10) < 8) {
            item.put("v", driftingValue());
        }
        if (random.nextInt(10) < 3) {
            byte[] b = new byte[1 + random.nextInt(8)];
            random.nextBytes(b);
            item.put("b", b);
        }
        if (random.nextInt(10) < 3) {
            item.put("flag", random.nextBoolean());
        }
        return item;
    }

    private Map<String, Object> tweak(Map<String, Object> before) {
        Map<String, Object> after = new LinkedHashMap<>(before);
        switch (random.nextInt(4)) {
            case 0 -> after.put("n", randomNumber());
            case 1 -> after.put("v", driftingValue());
            case 2 -> after.remove(after.isEmpty() ? "s" : after.keySet().iterator().next());
            default -> after.put("s", randomText());
        }
        return after;
    }

    private String randomText() {
        String[] parts = {"a", "ü", "✓", "text", " ", "\"q\"", "\\", "日本", "x"};
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(parts[random.nextInt(parts.length)]);
        }
        return sb.toString();
    }

    private BigDecimal randomNumber() {
        return switch (random.nextInt(6)) {
            case 0 -> BigDecimal.valueOf(random.nextInt(1000) - 500);
            case 1 -> BigDecimal.valueOf(random.nextInt(100_000) - 50_000, 2);
            case 2 -> new BigDecimal(new BigInteger(125, random)).add(BigDecimal.ONE); // up to 38 digits
            case 3 -> new BigDecimal("1E-130");
            case 4 -> BigDecimal.valueOf(random.nextLong());
            default -> new BigDecimal(random.nextInt(10) + ".5");
        };
    }

    /** The same attribute as text, number, map, mixed list, boolean or string set. */
    private Object driftingValue() {
        return switch (random.nextInt(6)) {
            case 0 -> randomText();
            case 1 -> randomNumber();
            case 2 -> DynamoJson.map("nested", random.nextInt(100), "label", randomText(),
                    "deeper", DynamoJson.map("half", new BigDecimal("0.5")));
            case 3 -> DynamoJson.list(random.nextInt(10), randomText(), random.nextBoolean());
            case 4 -> random.nextBoolean();
            default -> DynamoJson.stringSet("x" + random.nextInt(5), "y" + random.nextInt(5));
        };
    }

    // ---- concurrent writers ----------------------------------------------------------------------

    /**
     * Overlapping shares of the stream for concurrent writers, each shuffled on its own: every
     * change goes to one writer, a third of them to a second writer as well, and some records are
     * duplicated within a share. Together the shares hold every change at least once; no share
     * holds them in stream order.
     */
    public List<List<IncomingRecord>> shares(int writers) {
        List<List<IncomingRecord>> shares = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            shares.add(new ArrayList<>());
        }
        for (Change c : stream) {
            int first = random.nextInt(writers);
            shares.get(first).add(c.record());
            if (writers > 1 && random.nextInt(3) == 0) {
                shares.get((first + 1 + random.nextInt(writers - 1)) % writers).add(c.record());
                figures.duplicates++;
            }
            if (random.nextInt(10) == 0) {
                shares.get(random.nextInt(writers)).add(c.record());
                figures.duplicates++;
            }
        }
        for (List<IncomingRecord> share : shares) {
            java.util.Collections.shuffle(share, random);
            figures.recordsDelivered += share.size();
        }
        return shares;
    }

    // ---- the event source mapping ----------------------------------------------------------------

    /**
     * The order in which the shard hands records over: the stream with some records delayed into
     * later batches and some duplicated. Every change is in it at least once.
     */
    public List<IncomingRecord> arrivals(Delivery d) {
        record Slot(double at, IncomingRecord record) {
        }
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < stream.size(); i++) {
            IncomingRecord r = stream.get(i).record();
            double at = i + random.nextDouble() * 0.5;
            if (random.nextDouble() < d.delayRate()) {
                at += 1 + random.nextInt(d.maxDelay());
                figures.delayed++;
            }
            slots.add(new Slot(at, r));
            if (random.nextDouble() < d.duplicateRate()) {
                slots.add(new Slot(i + random.nextInt(2 * d.maxDelay()) + random.nextDouble(), r));
                figures.duplicates++;
            }
        }
        slots.sort(Comparator.comparingDouble(Slot::at));
        return slots.stream().map(Slot::record).toList();
    }

    /**
     * Delivers like Lambda: batches from a checkpoint; after a reported failure from
     * firstFailedSequence; after a success sometimes again from an earlier checkpoint.
     */
    public void deliver(Relay relay, List<IncomingRecord> arrivals, Delivery d, FaultInjector faults,
                        long deadlineMillis) {
        int pos = 0;
        int consecutiveFailures = 0;
        int batchNumber = 0;
        while (pos < arrivals.size()) {
            int size = 1 + random.nextInt(d.maxBatch());
            List<IncomingRecord> batch = arrivals.subList(pos, Math.min(arrivals.size(), pos + size));
            boolean fault = faults != null && faults.beforeBatch(random, batchNumber++);
            if (fault) {
                figures.faultsInjected++;
            }
            BatchResult result;
            figures.batches++;
            figures.recordsDelivered += batch.size();
            try {
                result = relay.apply(batch, Deadline.inMillis(deadlineMillis));
            } catch (RuntimeException | Error e) {
                // A function error: Lambda re-delivers the whole batch from the same checkpoint.
                figures.functionErrors++;
                lastFunctionError = e;
                if (++consecutiveFailures > 50) {
                    throw new AssertionError(failure("the shard is stuck: 50 failed batches in a row"), e);
                }
                continue;
            }
            if (result.firstFailedSequence().isPresent()) {
                String seq = result.firstFailedSequence().get();
                int idx = -1;
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i).sequenceNumber().equals(seq)) {
                        idx = i;
                        break;
                    }
                }
                if (idx < 0) {
                    throw new AssertionError(failure("firstFailedSequence " + seq + " is not in the batch: "
                            + result.summary()));
                }
                figures.failedBatches++;
                pos += idx;
                if (++consecutiveFailures > 50) {
                    throw new AssertionError(failure("the shard is stuck: 50 failed batches in a row, last: "
                            + result.summary()));
                }
            } else {
                consecutiveFailures = 0;
                pos += batch.size();
                if (pos < arrivals.size() && random.nextDouble() < d.redeliverRate()) {
                    pos -= 1 + random.nextInt(Math.min(pos, 2 * d.maxBatch()));
                    figures.redeliveries++;
                }
            }
        }
    }

    public String failure(String message) {
        return "[seed " + seed + ", rerun with -Dproof.seed=" + seed + "] " + message;
    }

    // ---- the sink --------------------------------------------------------------------------------

    /** Every row of the table, by the item's key attribute. */
    public static Map<String, SinkRow> rows(String url, String table, boolean crate) throws Exception {
        Map<String, SinkRow> rows = new TreeMap<>();
        for (SinkRow row : SinkRow.readAll(url, table, crate)) {
            rows.put(row.pk().path(KEY).asText(), row);
        }
        return rows;
    }

    /** Differences between the truth and the sink, one line per wrong item; empty when equal. */
    public List<String> differences(Map<String, SinkRow> sink) {
        return differences(truth, sink);
    }

    public static List<String> differences(Map<String, Map<String, Object>> truth, Map<String, SinkRow> sink) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>(truth.keySet());
        keys.addAll(sink.keySet());
        for (String key : keys) {
            Map<String, Object> expected = truth.get(key);
            SinkRow row = sink.get(key);
            if (expected == null) {
                out.add(key + ": deleted in the source, still in the sink: " + row);
                continue;
            }
            if (row == null) {
                out.add(key + ": missing from the sink; expected " + describe(expected));
                continue;
            }
            Set<String> names = new HashSet<>(row.attributeNames());
            names.remove(KEY);
            if (!names.equals(expected.keySet())) {
                out.add(key + ": attributes " + new TreeSet<>(names) + " but expected " + new TreeSet<>(expected.keySet())
                        + " row=" + row);
                continue;
            }
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                String name = e.getKey();
                boolean ok;
                try {
                    ok = e.getValue() instanceof BigDecimal b
                            ? b.compareTo(row.exactNumber(name)) == 0
                            : same(e.getValue(), row.attribute(name));
                } catch (RuntimeException ex) {
                    ok = false;
                }
                if (!ok) {
                    out.add(key + "." + name + ": expected " + describe(e.getValue()) + " stored " + row.attribute(name)
                            + " row=" + row);
                }
            }
        }
        return out;
    }

    static boolean same(Object expected, JsonNode n) {
        if (n == null) {
            return false;
        }
        if (expected instanceof String s) {
            return n.isTextual() && n.asText().equals(s);
        }
        if (expected instanceof Number num) {
            BigDecimal want = new BigDecimal(num.toString());
            if (n.isNumber()) {
                return n.decimalValue().compareTo(want) == 0;
            }
            return n.isTextual() && new BigDecimal(n.asText()).compareTo(want) == 0;
        }
        if (expected instanceof Boolean b) {
            return n.isBoolean() && n.booleanValue() == b;
        }
        if (expected instanceof byte[] bytes) {
            return n.isTextual() && n.asText().equals(Base64.getEncoder().encodeToString(bytes));
        }
        if (expected instanceof DynamoJson.TypedSet set) {
            if (!n.isArray()) {
                return false;
            }
            Set<String> got = new TreeSet<>();
            n.forEach(x -> got.add(x.asText()));
            Set<String> want = new TreeSet<>();
            set.elements().forEach(x -> want.add(x.toString()));
            return got.equals(want);
        }
        if (expected instanceof Map<?, ?> m) {
            if (!n.isObject() || n.size() != m.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!same(e.getValue(), n.get((String) e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof List<?> l) {
            if (!n.isArray() || n.size() != l.size()) {
                return false;
            }
            Iterator<JsonNode> it = n.elements();
            for (Object x : l) {
                if (!same(x, it.next())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static String describe(Object v) {
        if (v instanceof byte[] b) {
            return "B:" + Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, String> d = new LinkedHashMap<>();
            m.forEach((k, x) -> d.put(k, describe(x)));
            return d.toString();
        }
        return String.valueOf(v);
    }
}
