package dev.cdcrelay.bench;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The records the benchmark feeds: the seed's reading (REFERENCE section 1), a nested item of
 * about 2 KB and an item of about 100 KB, as "Kinesis Data Streams for DynamoDB" change records.
 * Deterministic (fixed seeds), so runs compare.
 */
public final class BenchRecords {

    public enum Kind {
        SEED("seed reading (~0.5 KB)"), NESTED("nested item (~2 KB)"), LARGE("large item (~100 KB)");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final long BASE_MICROS = 1720742302233719L;

    private BenchRecords() {
    }

    /**
     * A batch of {@code n} records whose items are named {@code prefix}-0, -1, ...
     *
     * @param repeatedShare share of records (0..1) that are a later MODIFY of an item already in the
     *                      batch, so the reducer has something to collapse
     */
    public static List<IncomingRecord> batch(Kind kind, String prefix, int n, double repeatedShare, long seed) {
        return batch(kind, prefix, n, repeatedShare, seed, false);
    }

    /**
     * As {@link #batch(Kind, String, int, double, long)}; with {@code oldImages}, every nested
     * MODIFY also carries the item's previous attributes as its OldImage, as Kinesis Data Streams
     * for DynamoDB sends a MODIFY (the seed's MODIFYs always carry theirs, the large item's never).
     */
    public static List<IncomingRecord> batch(Kind kind, String prefix, int n, double repeatedShare, long seed,
                                             boolean oldImages) {
        Random rnd = new Random(seed);
        KinesisRecords seq = new KinesisRecords(1);
        List<IncomingRecord> out = new ArrayList<>(n);
        int distinct = Math.max(1, (int) Math.round(n * (1.0 - repeatedShare)));
        for (int i = 0; i < n; i++) {
            boolean repeat = i >= distinct;
            int item = repeat ? rnd.nextInt(distinct) : i;
            long micros = BASE_MICROS + i * 1000L;
            boolean modify = repeat || i % 2 == 1;
            ChangeJson c = kind == Kind.NESTED && oldImages && modify
                    ? nestedWithOldImage(prefix + "-" + item, micros, rnd)
                    : change(kind, prefix + "-" + item, modify, micros, rnd);
            out.add(seq.next(c));
        }
        return out;
    }

    static ChangeJson change(Kind kind, String id, boolean modify, long micros, Random rnd) {
        return switch (kind) {
            case SEED -> seed(id, modify, micros, rnd);
            case NESTED -> nested(id, modify, micros, rnd);
            case LARGE -> large(id, modify, micros, rnd);
        };
    }

    /** The REFERENCE's reading: device, timestamp, temperature, humidity (MODIFY carries both images). */
    static ChangeJson seed(String device, boolean modify, long micros, Random rnd) {
        BigDecimal t = BigDecimal.valueOf(3000 + rnd.nextInt(2000), 2);
        BigDecimal h = BigDecimal.valueOf(5000 + rnd.nextInt(4000), 2);
        ChangeJson c = (modify ? ChangeJson.modify() : ChangeJson.insert())
                .key("device", device).key("timestamp", "2024-07-12T01:17:42")
                .set("temperature", t).set("humidity", h)
                .micros(micros);
        if (modify) {
            c.old("temperature", t.subtract(BigDecimal.ONE)).old("humidity", h);
        }
        return c;
    }

    /** About 2 KB on the wire: maps three levels deep, lists, sets, booleans, nulls, numbers. */
    static ChangeJson nested(String id, boolean modify, long micros, Random rnd) {
        ChangeJson c = (modify ? ChangeJson.modify().withoutOldImage() : ChangeJson.insert())
                .key("id", id).micros(micros);
        nestedAttributes(rnd).forEach(c::set);
        return c;
    }

    /** A nested MODIFY with both images (about 3.6 KB): the OldImage holds attributes of the same shape. */
    static ChangeJson nestedWithOldImage(String id, long micros, Random rnd) {
        ChangeJson c = ChangeJson.modify().key("id", id).micros(micros);
        nestedAttributes(rnd).forEach(c::set);
        nestedAttributes(rnd).forEach(c::old);
        return c;
    }

    private static Map<String, Object> nestedAttributes(Random rnd) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("customer", DynamoJson.map(
                "name", "Customer " + rnd.nextInt(100000),
                "email", "user" + rnd.nextInt(100000) + "@example.com",
                "address", DynamoJson.map("street", "Main Street " + rnd.nextInt(500), "city", "Berlin",
                        "zip", "10" + (100 + rnd.nextInt(800)), "geo", DynamoJson.map(
                                "lat", BigDecimal.valueOf(52_000_000 + rnd.nextInt(999_999), 6),
                                "lon", BigDecimal.valueOf(13_000_000 + rnd.nextInt(999_999), 6))),
                "vip", rnd.nextBoolean(),
                "referrer", null));
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(DynamoJson.map("sku", "SKU-" + (10000 + rnd.nextInt(90000)),
                    "qty", 1 + rnd.nextInt(5),
                    "price", BigDecimal.valueOf(100 + rnd.nextInt(90000), 2),
                    "tags", DynamoJson.stringSet("t" + i, "x" + rnd.nextInt(9))));
        }
        a.put("lines", lines);
        a.put("status", rnd.nextBoolean() ? "shipped" : "open");
        a.put("total", BigDecimal.valueOf(1000 + rnd.nextInt(900000), 2));
        a.put("scores", DynamoJson.numberSet(rnd.nextInt(100), 100 + rnd.nextInt(100), 200 + rnd.nextInt(100)));
        a.put("notes", "x".repeat(300 + rnd.nextInt(100)));
        a.put("updatedBy", DynamoJson.list("svc-orders", "v2", 7));
        return a;
    }

    /** About 100 KB: a list of 400 events, a 30 KB binary and a 10 KB text. */
    static ChangeJson large(String id, boolean modify, long micros, Random rnd) {
        ChangeJson c = (modify ? ChangeJson.modify().withoutOldImage() : ChangeJson.insert())
                .key("id", id).micros(micros);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            events.add(DynamoJson.map("seq", i, "kind", i % 3 == 0 ? "click" : "view",
                    "value", BigDecimal.valueOf(rnd.nextInt(1_000_000), 3),
                    "page", "/products/" + rnd.nextInt(10000)));
        }
        c.set("events", events);
        byte[] blob = new byte[30_000];
        rnd.nextBytes(blob);
        c.set("thumbnail", blob);
        c.set("description", "lorem ipsum ".repeat(850));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("owner", "team-" + rnd.nextInt(50));
        meta.put("version", rnd.nextInt(1000));
        c.set("meta", meta);
        return c;
    }

    public static double averageBytes(List<IncomingRecord> records) {
        long sum = 0;
        for (IncomingRecord r : records) {
            sum += r.data().length;
        }
        return (double) sum / records.size();
    }
}
