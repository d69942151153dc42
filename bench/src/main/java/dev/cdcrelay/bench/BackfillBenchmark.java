package dev.cdcrelay.bench;

import dev.cdcrelay.backfill.BackfillCommand;
import dev.cdcrelay.testing.ExportWriter;
import dev.cdcrelay.testing.TestSinks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Backfill throughput into CrateDB: one export in AWS's format (written by the tests' ExportWriter)
 * loaded with {@code backfill} at 1, 2 and 4 parallel loaders, beside CrateDB's own bulk ceiling
 * for the same rows in the same run (plain multi-row INSERTs of the same pk/data JSON, 4
 * connections, no version guard, no tombstone check). Needs CRATEDB_JDBC_URL; prints figures only.
 *
 * <p>{@code mvn -B -q -pl bench -am package -DskipTests} then run this class with the bench class path;
 * {@code -Dbench.items=N} sets the export's size (default 100,000).
 */
public final class BackfillBenchmark {

    private static final int FILES = 8;

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = TestSinks.cratedbUrl();
        if (url == null) {
            System.out.println("backfill benchmark skipped: " + TestSinks.CRATEDB_SKIP_REASON);
            return;
        }
        int items = Integer.getInteger("bench.items", 100_000);
        Path work = Files.createTempDirectory("backfill-bench");
        Instant exportTime = Instant.now().minusSeconds(600);
        ExportWriter writer = new ExportWriter(work, exportTime);
        List<List<Map<String, Object>>> files = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            files.add(new ArrayList<>());
        }
        for (int i = 0; i < items; i++) {
            files.get(i % FILES).add(item(i));
        }
        files.forEach(writer::file);
        Path dir = writer.write();
        System.out.printf(Locale.ROOT, "backfill benchmark: %,d items in %d gzip files (%,d bytes), CrateDB at %s, %d cpus%n",
                items, FILES, Files.walk(dir).filter(Files::isRegularFile).mapToLong(BackfillBenchmark::size).sum(),
                url.replaceAll("\\?.*", ""), Runtime.getRuntime().availableProcessors());
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int loaders : new int[] {1, 2, 4}) {
            rates.put("backfill, " + loaders + " loader(s)", backfill(url, dir, loaders, items));
        }
        rates.put("bulk ceiling: plain INSERT, 4 connections, 1,000 rows/statement", ceiling(url, items));
        rates.forEach((what, rate) -> System.out.printf(Locale.ROOT, "  %-66s %,10.0f items/s%n", what, rate));
    }

    private static Map<String, Object> item(int i) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("device", "device-" + (i % 997));
        item.put("timestamp", String.format("2026-12-02T05:%02d:%02d.%06d", (i / 60) % 60, i % 60, i));
        item.put("temperature", new BigDecimal(String.format(Locale.ROOT, "%.2f", 15 + (i % 2000) / 100.0)));
        item.put("humidity", new BigDecimal(String.format(Locale.ROOT, "%.2f", 40 + (i % 5000) / 100.0)));
        item.put("label", "reading " + i);
        return item;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static double backfill(String url, Path dir, int loaders, int items) throws Exception {
        String table = TestSinks.freshTable("bench-backfill");
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        env.put("RELAY_KEY_SCHEMA", "device:S,timestamp:S");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = BackfillCommand.run(new String[] {"backfill", dir.toString(), "--unchecked", "--loaders=" + loaders},
                env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rows = count(url, table);
        TestSinks.dropTables(url, table);
        if (code != 0 || rows != items) {
            throw new IllegalStateException("backfill with " + loaders + " loader(s): exit " + code + ", " + rows
                    + " rows: " + out + err);
        }
        return items / seconds;
    }

    /** The same rows as plain INSERTs: what CrateDB takes when nothing is checked. */
    private static double ceiling(String url, int items) throws Exception {
        String table = TestSinks.freshTable("bench-ceiling");
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"" + table + "\" (pk OBJECT(STRICT) AS (device TEXT, \"timestamp\" TEXT),"
                    + " data OBJECT(DYNAMIC), version TEXT, PRIMARY KEY (pk['device'], pk['timestamp']))");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        List<Future<?>> parts = new ArrayList<>();
        for (int part = 0; part < 4; part++) {
            int p = part;
            parts.add(pool.submit(() -> {
                try (Connection c = TestSinks.connect(url); PreparedStatement ps = c.prepareStatement("INSERT INTO \""
                        + table + "\" (pk, data, version) VALUES (?::OBJECT, ?::OBJECT, ?)")) {
                    int inBatch = 0;
                    for (int i = p; i < items; i += 4) {
                        Map<String, Object> item = item(i);
                        ps.setString(1, "{\"device\":\"" + item.get("device") + "\",\"timestamp\":\"" + item.get("timestamp") + "\"}");
                        ps.setString(2, "{\"device\":\"" + item.get("device") + "\",\"timestamp\":\"" + item.get("timestamp")
                                + "\",\"temperature\":" + item.get("temperature") + ",\"humidity\":" + item.get("humidity")
                                + ",\"label\":\"" + item.get("label") + "\"}");
                        ps.setString(3, "00001796190925203756:1");
                        ps.addBatch();
                        if (++inBatch == 1_000) {
                            ps.executeBatch();
                            inBatch = 0;
                        }
                    }
                    ps.executeBatch();
                }
                return null;
            }));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long rows = count(url, table);
        TestSinks.dropTables(url, table);
        if (rows != items) {
            throw new IllegalStateException("ceiling: " + rows + " rows of " + items);
        }
        return items / seconds;
    }

    private static long count(String url, String table) throws Exception {
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            st.execute("REFRESH TABLE \"" + table + "\""); // CrateDB's reads are otherwise eventual
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
