package dev.cdcrelay.backfill;

import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * {@code java -jar function.jar backfill <export-dir> ...}: loads a downloaded DynamoDB export
 * (the {@code AWSDynamoDB/<export-id>/} directory) into the sink configured by the same environment
 * variables as the function, merged safely with the stream (see {@link SnapshotPoint}). Loading
 * the same export again is safe. On a terminal a progress line shows items done of the manifest's
 * total, items/s and the time left.
 *
 * <p>Exit codes: 0 every item loaded and every check passed; 1 some problem (each printed, naming
 * the file and line); 2 bad usage, configuration, export directory, or a refused precondition.
 */
public final class BackfillCommand {

    static final String USAGE = """
            usage: java -jar function.jar backfill <export-dir> (--stream-enabled-at=<ISO-8601 instant> | --unchecked)
                   [--margin-seconds=%d] [--loaders=1] [--batch=1000] [--finished-list=FILE]
              <export-dir>         the downloaded AWSDynamoDB/<export-id>/ directory (manifest-summary.json,
                                   manifest-files.json, data/*.json.gz)
              --stream-enabled-at  when the table's Kinesis streaming destination became active: the export
                                   is refused if that is after its exportTime
              --unchecked          skip that check (only when no change can have been made since the export)
              --margin-seconds     how far before exportTime the items are versioned (approximate stream stamps)
              --loaders            files loaded in parallel, each over its own connection (1..16)
              --batch              items per write (1..10000)
              --finished-list=FILE the files loaded completely are listed there; a run given the same list
                                   skips them (resume after a failure or a stop)
              The sink is set by CRATEDB_JDBC_URL, CRATEDB_USER, CRATEDB_PASSWORD, CRATEDB_TABLE and
              RELAY_KEY_SCHEMA (required here: an exported item does not say which attributes are the key).
            """.formatted(SnapshotPoint.DEFAULT_MARGIN_SECONDS);

    /** The parsed command line. */
    record Options(Path directory, Optional<Instant> streamEnabledAt, Duration margin, int loaders, int batch,
                   Optional<Path> finishedList) {
    }

    private BackfillCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, System.console() != null));
    }

    /** The command without exiting: what {@link #main} runs, and what the backfill benchmark times. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        Options options;
        RelayConfig config;
        ExportManifest manifest;
        SnapshotPoint point;
        try {
            options = parse(args);
            config = RelayConfig.fromEnvironment(env);
            if (config.keySchema().isEmpty()) {
                throw new IllegalArgumentException("RELAY_KEY_SCHEMA is required for a backfill: an exported item"
                        + " does not say which of its attributes are the key (e.g. RELAY_KEY_SCHEMA=id:S)");
            }
            manifest = ExportManifest.read(options.directory());
            point = new SnapshotPoint(manifest.exportTime(), options.margin());
            if (options.streamEnabledAt().isPresent()) {
                point.requireStreamCovers(options.streamEnabledAt().get());
            }
            point.requireWithinRetention(Instant.now(), config.writerSettings().tombstoneRetention());
        } catch (IllegalArgumentException | InvalidExportException | BackfillRefusedException e) {
            err.println("backfill: " + e.getMessage());
            if (e instanceof IllegalArgumentException && e.getMessage().startsWith("usage")) {
                err.print(USAGE);
            }
            return 2;
        }
        err.println("backfill: " + manifest.exportArn() + ", exportTime " + manifest.exportTime() + ", "
                + manifest.itemCount() + " item(s) in " + manifest.files().size() + " file(s); items versioned at "
                + point.versionInstant());
        Optional<FinishedFiles> finished;
        try {
            finished = options.finishedList().isEmpty() ? Optional.empty()
                    : Optional.of(FinishedFiles.open(options.finishedList().get()));
        } catch (IOException e) {
            err.println("backfill: --finished-list: cannot read " + options.finishedList().get() + ": " + e.getMessage());
            return 2;
        }
        List<ExportManifest.DataFile> before = manifest.files().stream()
                .filter(f -> finished.isPresent() && finished.get().contains(f.relative())).toList();
        List<SourceOutcome> outcomes = load(options, config, manifest, point, finished, before, err, terminal);
        return report(manifest, outcomes, before, out);
    }

    static Options parse(String[] args) {
        if (args.length < 2 || !args[0].equals("backfill")) {
            throw new IllegalArgumentException("usage: backfill <export-dir> and options");
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(args[1] + ": not a directory");
        }
        Optional<Instant> enabledAt = Optional.empty();
        boolean unchecked = false;
        long margin = SnapshotPoint.DEFAULT_MARGIN_SECONDS;
        int loaders = 1;
        int batch = 1_000;
        Optional<Path> finishedList = Optional.empty();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
            if (a.startsWith("--stream-enabled-at=")) {
                try {
                    enabledAt = Optional.of(Instant.parse(value));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--stream-enabled-at: '" + value
                            + "' is not an ISO-8601 instant such as 2026-12-02T05:00:00Z");
                }
            } else if (a.equals("--unchecked")) {
                unchecked = true;
            } else if (a.startsWith("--margin-seconds=")) {
                margin = whole(a, value, 0, 86_400);
            } else if (a.startsWith("--loaders=")) {
                loaders = (int) whole(a, value, 1, 16);
            } else if (a.startsWith("--finished-list=") && !value.isBlank()) {
                finishedList = Optional.of(Path.of(value));
            } else if (a.startsWith("--batch=")) {
                batch = (int) whole(a, value, 1, 10_000);
            } else {
                throw new IllegalArgumentException("usage: unknown option '" + a + "'");
            }
        }
        if (enabledAt.isEmpty() && !unchecked) {
            throw new IllegalArgumentException("give --stream-enabled-at=<when the table's Kinesis streaming"
                    + " destination became active> so that the backfill can check the stream covers the export,"
                    + " or --unchecked if no change can have been made since the export");
        }
        return new Options(dir, enabledAt, Duration.ofSeconds(margin), loaders, batch, finishedList);
    }

    private static long whole(String option, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option.substring(0, option.indexOf('=')) + " must be a whole number from "
                + min + " to " + max + ", got '" + value + "'");
    }

    /** Loads every file, {@code loaders} at a time, each loader over its own relay (connection). */
    private static List<SourceOutcome> load(Options options, RelayConfig config, ExportManifest manifest,
                                            SnapshotPoint point, Optional<FinishedFiles> finished,
                                            List<ExportManifest.DataFile> before, PrintStream err, boolean terminal) {
        ConcurrentLinkedQueue<ExportManifest.DataFile> queue = new ConcurrentLinkedQueue<>(manifest.files());
        queue.removeAll(before);
        AtomicReferenceArray<SourceOutcome> outcomes = new AtomicReferenceArray<>(manifest.files().size());
        // Files an earlier run finished count as done: the progress line starts where it left off.
        AtomicLong done = new AtomicLong(before.stream().mapToLong(ExportManifest.DataFile::itemCount).sum());
        before.forEach(f -> outcomes.set(f.index(), new SourceOutcome(f.relative(), 0, 0, List.of())));
        Instant start = Instant.now();
        Consumer<String> log = line -> err.println((terminal ? "\r\033[K" : "") + "[cdc-relay] " + line);
        SnapshotRecords records = new SnapshotRecords(config.keySchema().orElseThrow().names(), point);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        if (terminal) {
            ticker.scheduleAtFixedRate(() -> err.print("\r\033[Kbackfill: " + ProgressLine.format(done.get(),
                    manifest.itemCount(), Duration.between(start, Instant.now()))), 0, 500, TimeUnit.MILLISECONDS);
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.loaders());
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < options.loaders(); i++) {
            running.add(pool.submit(() -> {
                // Callable: a finished list that cannot be written stops this loader, reported below.
                try (Relay relay = Relay.fromConfig(config, log)) {
                    SnapshotLoader loader = new SnapshotLoader(relay, records, options.batch());
                    for (ExportManifest.DataFile f = queue.poll(); f != null; f = queue.poll()) {
                        SourceOutcome outcome = ExportFiles.load(loader, f, done::addAndGet);
                        outcomes.set(f.index(), outcome);
                        if (outcome.clean() && finished.isPresent()) {
                            finished.get().add(f.relative());
                        }
                    }
                }
                return null;
            }));
        }
        List<SourceOutcome> result = new ArrayList<>();
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            result.add(new SourceOutcome("(loader)", 0, 0, List.of("a loader stopped: " + e)));
        } finally {
            pool.shutdownNow();
            ticker.shutdownNow();
        }
        if (terminal) {
            err.println("\r\033[Kbackfill: " + ProgressLine.format(done.get(), manifest.itemCount(),
                    Duration.between(start, Instant.now())));
        }
        for (int i = 0; i < outcomes.length(); i++) {
            SourceOutcome o = outcomes.get(i);
            result.add(o != null ? o : new SourceOutcome(manifest.files().get(i).relative(), 0, 0,
                    List.of(manifest.files().get(i).relative() + ": not loaded (its loader stopped)")));
        }
        return result;
    }

    private static int report(ExportManifest manifest, List<SourceOutcome> outcomes, List<ExportManifest.DataFile> before,
                              PrintStream out) {
        long read = outcomes.stream().mapToLong(SourceOutcome::itemsRead).sum();
        long loaded = outcomes.stream().mapToLong(SourceOutcome::itemsLoaded).sum();
        List<String> problems = new ArrayList<>();
        if (manifest.itemsInFiles() != manifest.itemCount()) {
            problems.add(ExportManifest.SUMMARY + ": itemCount is " + manifest.itemCount()
                    + " but the files manifest lists " + manifest.itemsInFiles() + " item(s)");
        }
        outcomes.forEach(o -> problems.addAll(o.problems()));
        String earlier = before.isEmpty() ? "" : "; " + before.size() + " file(s) with "
                + before.stream().mapToLong(ExportManifest.DataFile::itemCount).sum() + " item(s) finished by an earlier run";
        out.println("backfilled " + loaded + " of " + manifest.itemCount() + " item(s) from " + outcomes.size()
                + " file(s) (" + read + " read" + earlier + "); problems: " + problems.size());
        problems.forEach(p -> out.println("  " + p));
        return problems.isEmpty() ? 0 : 1;
    }
}
