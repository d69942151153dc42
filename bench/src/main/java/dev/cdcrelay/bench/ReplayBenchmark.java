package dev.cdcrelay.bench;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.plan.PlannedRow;
import dev.cdcrelay.replay.GeneratedInputs;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.replay.ReplayJvm;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.CrateDbDialect;
import dev.cdcrelay.write.PostgresDialect;
import dev.cdcrelay.write.TableName;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Replay at size: {@code java -jar function.jar replay <directory>} (the packaged function, as an
 * operator runs it) in a child JVM with {@code -Xmx256m}, over directories of seed-shaped changes in
 * Lambda event files of 10,000 records (half INSERTs, half MODIFYs of the same items, so N changes
 * make N/2 rows), into embedded PostgreSQL and, with {@code CRATEDB_JDBC_URL}, CrateDB. Prints
 * records/s and peak heap (from the child's GC log). Then the 300,000 run once more with
 * {@code -Xmx2g} into another table, and the two tables compared row by row.
 *
 * <p>System properties: {@code bench.functionTarget} (function/target, with function.jar and lib/),
 * {@code bench.workDir}, {@code bench.replaySizes} (default {@code 30000,300000,1000000}),
 * {@code bench.coldRuns} (turns of cold replay and cold ceiling up to 30,000 changes, default 5),
 * {@code bench.coldCeilingJvm} (the cold ceiling's JVM options), {@code bench.databasePid} (the
 * CrateDB process on this machine: its CPU per turn is printed beside each process's), {@code
 * bench.replayChunk} (the replay's default chunk, when the function measured is another build than
 * this one's).
 */
public final class ReplayBenchmark {

    private static final int PER_FILE = 10_000;
    private static final int COMPARE_SIZE = 300_000;
    /** Up to this size the changes are kept in memory for the ceiling beside the replay. */
    private static final int CEILING_SIZE = 30_000;
    private static List<ChangeJson> generated = List.of();

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path functionTarget = Path.of(System.getProperty("bench.functionTarget", "../function/target"));
        Path workDir = Files.createDirectories(Path.of(System.getProperty("bench.workDir", "target/bench-work"))
                .toAbsolutePath());
        String classPath = classPath(functionTarget);
        List<Integer> sizes = Stream.of(System.getProperty("bench.replaySizes", "30000,300000,1000000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> sinks = new ArrayList<>(List.of(TestSinks.postgresUrl()));
        if (TestSinks.cratedbUrl() != null) {
            sinks.add(TestSinks.cratedbUrl());
        }
        printHeader();
        for (int size : sizes) {
            Path input = generate(workDir, size);
            for (String url : sinks) {
                String table = TestSinks.freshTable("replay-bench-" + size);
                Row row = replay(classPath, "-Xmx256m", url, table, input, workDir);
                row.print(size, sinkName(url), files(input), megabytes(input));
                if (size <= CEILING_SIZE) {
                    ceilings(classPath, url, size, row, input, workDir);
                }
                if (size == COMPARE_SIZE) {
                    String bigHeapTable = TestSinks.freshTable("replay-bench-2g-" + size);
                    Row big = replay(classPath, "-Xmx2g", url, bigHeapTable, input, workDir);
                    big.print(size, sinkName(url) + " 2g", files(input), megabytes(input));
                    System.out.println("  same rows with -Xmx256m and -Xmx2g: "
                            + rowsDigest(url, table).equals(rowsDigest(url, bigHeapTable)));
                    TestSinks.dropTables(url, bigHeapTable);
                }
                TestSinks.dropTables(url, table);
            }
            deleteTree(input);
        }
        printFootnote();
        System.exit(0);
    }

    /**
     * The cold replay of {@value #CEILING_SIZE} changes into each sink against its cold ceiling,
     * as {@link #main} measures it (for the full benchmark, which judges issue 13's target by it);
     * returns each sink's replay / cold ceiling (the ratio of their median seconds), keyed by URL.
     */
    static Map<String, Double> coldReplay(Path functionTarget, Path workDir, List<String> sinks) throws Exception {
        String classPath = classPath(functionTarget);
        Path work = Files.createDirectories(workDir.toAbsolutePath());
        printHeader();
        Map<String, Double> ratios = new TreeMap<>();
        Path input = generate(work, CEILING_SIZE);
        for (String url : sinks) {
            String table = TestSinks.freshTable("replay-bench-" + CEILING_SIZE);
            Row row = replay(classPath, "-Xmx256m", url, table, input, work);
            row.print(CEILING_SIZE, sinkName(url), files(input), megabytes(input));
            ratios.put(url, ceilings(classPath, url, CEILING_SIZE, row, input, work));
            TestSinks.dropTables(url, table);
        }
        deleteTree(input);
        printFootnote();
        return ratios;
    }

    private static String classPath(Path functionTarget) {
        if (!Files.isRegularFile(functionTarget.resolve("function.jar"))) {
            // Otherwise every replay child fails at once and the first symptom is a missing table.
            throw new IllegalStateException("no function.jar in " + functionTarget.toAbsolutePath()
                    + ": package the function first, and run from bench/ or set -Dbench.functionTarget");
        }
        return functionTarget.resolve("function.jar") + File.pathSeparator + functionTarget.resolve("lib") + "/*";
    }

    private static void printHeader() {
        System.out.printf(Locale.ROOT, "== Replay: java -Xmx256m -jar function.jar replay <dir> (event files of %,d)%n",
                PER_FILE);
        if (!BenchEnv.describe().isEmpty()) {
            System.out.println("relay settings from the environment: " + BenchEnv.describe());
        }
        System.out.printf(Locale.ROOT, "%-15s %10s %6s %9s %8s %10s %10s %10s %9s %5s%n", "sink", "changes", "files",
                "input MB", "seconds", "records/s", "peak heap", "live heap", "rows", "exit");
    }

    private static void printFootnote() {
        System.out.println("peak heap: the most in use before a collection (garbage included); live heap: the"
                + " most still in use right after one (an upper bound of what replay keeps alive); both from"
                + " -Xlog:gc of the child JVM. seconds: wall clock of the child JVM, start-up included.");
    }

    /**
     * One process's turn: wall clock, its CPU (every thread, a relaunched JVM included) and the
     * database's CPU from its start to its exit (-1 without {@code bench.databasePid}).
     */
    private record Turn(long wallMillis, long cpuNanos, long databaseNanos) {
        static Turn measure(long childrenBefore, long databaseBefore, long wallMillis) {
            long children = CpuClock.childrenNanos();
            long database = CpuClock.databaseNanos();
            return new Turn(wallMillis, children < 0 ? -1 : children - childrenBefore,
                    database < 0 ? -1 : database - databaseBefore);
        }
    }

    private record Row(ReplayJvm.Result result, long rows, Turn turn) {
        void print(int size, String sink, long files, double megabytes) {
            double seconds = result.wallMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%-15s %,10d %6d %9.0f %8.1f %,10.0f %7s MB %7s MB %,9d %5d%n", sink, size,
                    files, megabytes, seconds, size / seconds, mb(result.peakHeapMb()), mb(result.liveHeapMb()),
                    rows, result.exitCode());
            if (result.exitCode() != 0) {
                System.out.println(result.output());
            }
        }
    }

    private static String mb(OptionalLong value) {
        return value.isPresent() ? String.valueOf(value.getAsLong()) : "?";
    }

    private static Row replay(String classPath, String heap, String url, String table, Path input, Path workDir)
            throws Exception {
        Map<String, String> env = BenchEnv.relayEnv(url, table);
        long children = CpuClock.childrenNanos();
        long database = CpuClock.databaseNanos();
        ReplayJvm.Result result = ReplayJvm.run(classPath, List.of(heap), env, List.of("replay", input.toString()),
                null, workDir, 60);
        Turn turn = Turn.measure(children, database, result.wallMillis());
        return new Row(result, count(url, table), turn);
    }

    /** {@code size} seed-shaped changes: change 2k inserts item k, change 2k+1 modifies it. */
    private static Path generate(Path workDir, int size) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("replay-" + size));
        KinesisRecords sequence = new KinesisRecords();
        Random random = new Random(size);
        List<ChangeJson> kept = new ArrayList<>();
        for (int first = 0, file = 1; first < size; first += PER_FILE, file++) {
            GeneratedInputs.eventDocument(dir.resolve(String.format("%04d.json", file)), first,
                    Math.min(PER_FILE, size - first), n -> {
                        ChangeJson c = BenchRecords.seed("replay-" + n / 2, n % 2 == 1, 1720742302233719L + n, random);
                        if (size <= CEILING_SIZE) {
                            kept.add(c);
                        }
                        return c;
                    }, sequence);
        }
        generated = kept;
        return dir;
    }

    /**
     * The database's ceilings for the same changes beside the cold replay. Warm: in this JVM, per
     * event file, the final rows planned beforehand and written as one bulk upsert ({@link
     * Ceiling}); the second of two passes on fresh tables (the first warms the JIT). Cold: a child
     * JVM with the replay's JVM options ({@link ColdCeilingProcess}) that creates the relay's tables
     * and writes the final rows of each replay chunk (planned beforehand, here) as one bulk upsert,
     * timed from process start to exit as the replay is. Then {@code bench.coldRuns} more turns of
     * cold ceiling and cold replay, interleaved on fresh tables, and the medians compared: on a
     * shared machine one run of each says little. Returns replay / cold ceiling.
     */
    private static double ceilings(String classPath, String url, int size, Row replayed, Path input, Path workDir)
            throws Exception {
        String loadBefore = loadAverage();
        double warmSeconds = warmCeilingSeconds(url);
        // The file's DDL and upsert name this table: each turn's child creates it, and it is dropped after.
        String coldTable = TestSinks.freshTable("replay-cold-ceiling");
        Path rowsFile = coldCeilingRows(url, coldTable, workDir);
        int turns = Integer.getInteger("bench.coldRuns", 5);
        List<Turn> replayTurns = new ArrayList<>(List.of(replayed.turn()));
        List<Turn> ceilingTurns = new ArrayList<>();
        for (int turn = 0; turn < turns; turn++) {
            ceilingTurns.add(coldCeiling(classPath, url, coldTable, rowsFile, workDir));
            if (turn > 0) {
                String table = TestSinks.freshTable("replay-bench-again-" + size);
                Row again = replay(classPath, "-Xmx256m", url, table, input, workDir);
                TestSinks.dropTables(url, table);
                if (again.result().exitCode() != 0 || again.rows() != replayed.rows()) {
                    throw new IllegalStateException("replay turn " + turn + ": exit " + again.result().exitCode()
                            + ", rows " + again.rows() + ": " + again.result().output());
                }
                replayTurns.add(again.turn());
            }
        }
        Files.delete(rowsFile);
        double replaySeconds = median(replayTurns, Turn::wallMillis) / 1000.0;
        double coldSeconds = median(ceilingTurns, Turn::wallMillis) / 1000.0;
        System.out.printf(Locale.ROOT, "  ceiling, same changes, warm: %,.0f records/s (one bulk upsert per %,d"
                + " changes, in this JVM, %.2f s)%n", size / warmSeconds, PER_FILE, warmSeconds);
        System.out.printf(Locale.ROOT, "  ceiling, same changes, cold: %,.0f records/s (a child JVM -Xmx256m %s, start"
                + " to exit, one bulk upsert per replay chunk: %s; median %.2f s of %d, %s)%n", size / coldSeconds,
                System.getProperty("bench.coldCeilingJvm", COLD_CEILING_JVM), ceilingChunks, coldSeconds,
                ceilingTurns.size(), seconds(ceilingTurns));
        System.out.printf(Locale.ROOT, "  cold replay, median %.2f s of %d (%s): %,.0f records/s; replay / warm"
                + " ceiling = %.2f, replay / cold ceiling = %.2f%n", replaySeconds, replayTurns.size(),
                seconds(replayTurns), size / replaySeconds, warmSeconds / replaySeconds, coldSeconds / replaySeconds);
        // On a machine whose CPUs the process and the database share, wall clock is bound by their CPU together.
        // bench.databasePid names the CrateDB process: the embedded PostgreSQL's CPU is not measured.
        boolean database = !url.equals(TestSinks.postgresUrl());
        System.out.printf(Locale.ROOT, "  CPU, median of the turns: cold ceiling process %s s, database %s s;"
                + " replay process %s s, database %s s%n", cpuSeconds(ceilingTurns, Turn::cpuNanos),
                database ? cpuSeconds(ceilingTurns, Turn::databaseNanos) : "?", cpuSeconds(replayTurns, Turn::cpuNanos),
                database ? cpuSeconds(replayTurns, Turn::databaseNanos) : "?");
        System.out.printf(Locale.ROOT, "  load average (1 min) over these turns: %s -> %s%n", loadBefore, loadAverage());
        return coldSeconds / replaySeconds;
    }

    /**
     * The 1-minute load average ({@code /proc/loadavg}), or "?" where there is none: on a machine
     * shared with other work, a figure means little without it.
     */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * The cold ceiling's JVM options besides the heap: those {@code replay} gives itself (C1 only,
     * the serial collector), so that neither side gains by them; {@code -Dbench.coldCeilingJvm=...}
     * to try others.
     */
    private static final String COLD_CEILING_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /**
     * The replay's chunk, for the cold ceiling's batches: the function's default, or {@code
     * -Dbench.replayChunk=N} when {@code bench.functionTarget} is a build with another default.
     */
    private static final int REPLAY_CHUNK = Integer.getInteger("bench.replayChunk", ReplayJvm.defaultChunkRecords());

    /** What the cold ceiling's batches were, e.g. "6 of 5,000" (set by {@link #coldCeilingRows}). */
    private static String ceilingChunks = "";

    private static double warmCeilingSeconds(String url) throws Exception {
        double seconds = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<IncomingRecord> all = records();
            try (Connection jdbc = TestSinks.connect(url)) {
                Ceiling ceiling = ceiling(jdbc, url, TestSinks.freshTable("replay-ceiling"));
                try {
                    List<Ceiling.Rows> planned = new ArrayList<>();
                    for (int from = 0; from < all.size(); from += PER_FILE) {
                        planned.add(ceiling.plan(all.subList(from, Math.min(all.size(), from + PER_FILE))));
                    }
                    long t0 = System.nanoTime();
                    for (Ceiling.Rows rows : planned) {
                        ceiling.write(rows);
                    }
                    seconds = (System.nanoTime() - t0) / 1e9;
                } finally {
                    ceiling.drop();
                }
            }
        }
        return seconds;
    }

    /**
     * The cold ceiling's rows file: the final rows of each chunk exactly as the replay cuts its
     * chunks (the default record count, or earlier at {@link ReplayJvm#maxChunkBytes()} of
     * payload; chunks span event files), so both send the database the same rows in the same batches.
     */
    private static Path coldCeilingRows(String url, String table, Path workDir) throws Exception {
        List<IncomingRecord> all = records();
        List<List<List<String>>> batches = new ArrayList<>();
        Map<Integer, Integer> sizes = new TreeMap<>();
        try (Connection jdbc = TestSinks.connect(url)) {
            Ceiling ceiling = ceiling(jdbc, url, table);
            try {
                int from = 0;
                while (from < all.size()) {
                    int to = from;
                    long bytes = 0;
                    while (to < all.size() && to - from < REPLAY_CHUNK
                            && bytes < ReplayJvm.maxChunkBytes()) {
                        bytes += all.get(to++).data().length;
                    }
                    Ceiling.Rows rows = ceiling.plan(all.subList(from, to));
                    if (!rows.deletes().isEmpty()) {
                        throw new IllegalStateException("the cold ceiling writes upserts only");
                    }
                    List<List<String>> batch = new ArrayList<>();
                    for (PlannedRow.Upsert u : rows.upserts()) {
                        batch.add(ceiling.boundUpsert(u));
                    }
                    batches.add(batch);
                    sizes.merge(to - from, 1, Integer::sum);
                    from = to;
                }
                Path file = Files.createTempFile(workDir, "cold-ceiling", ".rows");
                ColdCeilingProcess.write(file, ceiling.ddl(), ceiling.upsertSql(), batches.get(0).get(0).size(),
                        batches);
                ceilingChunks = sizes.entrySet().stream().map(e -> String.format(Locale.ROOT, "%d of %,d changes",
                        e.getValue(), e.getKey())).reduce((a, b) -> a + " and " + b).orElse("none");
                return file;
            } finally {
                ceiling.drop();
            }
        }
    }
    /** The seed changes kept by {@link #generate}, as the replay reads them from the event files. */
    private static List<IncomingRecord> records() {
        KinesisRecords sequence = new KinesisRecords();
        List<IncomingRecord> all = new ArrayList<>(generated.size());
        for (ChangeJson c : generated) {
            all.add(sequence.next(c));
        }
        return all;
    }

    private static Ceiling ceiling(Connection jdbc, String url, String table) {
        boolean crate = !url.equals(TestSinks.postgresUrl());
        return new Ceiling(jdbc, crate ? new CrateDbDialect() : new PostgresDialect(), crate,
                TableName.parse(table, "table"));
    }

    /**
     * One cold ceiling process, wall clock from {@code ProcessBuilder.start()} to its exit (as
     * {@link ReplayJvm} times the replay); its table is checked for every row and dropped.
     */
    private static Turn coldCeiling(String classPath, String url, String table, Path rowsFile, Path workDir)
            throws Exception {
        Path output = Files.createTempFile(workDir, "cold-ceiling", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        command.addAll(List.of(System.getProperty("bench.coldCeilingJvm", COLD_CEILING_JVM).split(" ")));
        command.addAll(List.of("-cp", benchClasses() + File.pathSeparator + classPath,
                ColdCeilingProcess.class.getName(), rowsFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(TestSinks.env(url, table));
        long children = CpuClock.childrenNanos();
        long database = CpuClock.databaseNanos();
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the cold ceiling did not finish within 10 minutes");
        }
        Turn turn = Turn.measure(children, database, (System.nanoTime() - start) / 1_000_000);
        String text = Files.readString(output);
        Files.delete(output);
        long rows = count(url, table);
        TestSinks.dropTables(url, table);
        if (process.exitValue() != 0 || rows != generated.size() / 2) {
            throw new IllegalStateException("cold ceiling: exit " + process.exitValue() + ", rows " + rows + ": " + text);
        }
        return turn;
    }

    /** Where this class was loaded from (bench/target/classes or the bench jar): the cold ceiling's code. */
    private static String benchClasses() throws Exception {
        return Path.of(ReplayBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static long median(List<Turn> turns, ToLongFunction<Turn> figure) {
        return Math.round(Medians.of(turns.stream().mapToLong(figure).toArray()));
    }

    private static String seconds(List<Turn> turns) {
        return turns.stream().map(t -> String.format(Locale.ROOT, "%.2f", t.wallMillis() / 1000.0))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** The median of a CPU figure in seconds, or "?" when it is not known (no {@code bench.databasePid}). */
    private static String cpuSeconds(List<Turn> turns, ToLongFunction<Turn> figure) {
        long nanos = median(turns, figure);
        return nanos < 0 ? "?" : String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    private static long count(String url, String table) throws Exception {
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            refreshIfCrateDb(url, table, st);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** SHA-256 of every row's key and data, in key order (sorted here: both databases, one way). */
    private static String rowsDigest(String url, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            refreshIfCrateDb(url, table, st);
            try (ResultSet rs = st.executeQuery("SELECT pk, data FROM \"" + table + "\"")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "\t" + rs.getString(2));
                }
            }
        }
        rows.sort(null);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String row : rows) {
            sha.update(row.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return rows.size() + ":" + HexFormat.of().formatHex(sha.digest());
    }

    // CrateDB reads are eventually consistent (1 s refresh): make every row visible first.
    private static void refreshIfCrateDb(String url, String table, Statement st) throws Exception {
        if (!url.equals(TestSinks.postgresUrl())) {
            st.execute("REFRESH TABLE \"" + table + "\"");
        }
    }

    private static String sinkName(String url) {
        return url.equals(TestSinks.postgresUrl()) ? "postgresql" : "cratedb";
    }

    private static long files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static double megabytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum() / (1024.0 * 1024.0);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
