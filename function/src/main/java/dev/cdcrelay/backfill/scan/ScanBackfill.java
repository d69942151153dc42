package dev.cdcrelay.backfill.scan;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.SnapshotLoader;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.SnapshotRecords;
import dev.cdcrelay.backfill.SourceOutcome;
import dev.cdcrelay.relay.Relay;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Scan path of the backfill, for tables without point-in-time recovery (so no export): a
 * parallel Scan ({@code Segment}/{@code TotalSegments}, one thread and one relay per segment),
 * paginated, under a read-rate limit, loading each page through {@link SnapshotLoader} as of the
 * scan's start (see {@link SnapshotPoint}: an item read later than the start may be newer than the
 * start, which is harmless, because every change after the version is in the stream and wins).
 * After each loaded page the segment's position goes to the {@link ScanCheckpoint}, so a stopped
 * backfill resumes from the last page. A page with a problem stops its segment without moving the
 * checkpoint: the problem is reported and a resumed run tries that page again.
 */
public final class ScanBackfill {

    /**
     * @param totalSegments     parallel Scan segments (and threads, and connections to the sink)
     * @param pageSize          items per Scan request ({@code Limit})
     * @param readUnitsPerSecond read capacity the whole Scan may use per second
     * @param batchSize         items per write to the sink
     * @param pagesPerRun       pages each segment reads in one {@link #run} before it returns (0: no
     *                          limit): a run that must end in time (a Lambda invocation) takes a few
     *                          pages and the next run resumes from the checkpoint
     */
    public record Settings(int totalSegments, int pageSize, double readUnitsPerSecond, int batchSize, int pagesPerRun) {
        /** 900 segments of up to 10^6 pages keep each item's sequence number unique (see SnapshotPoint). */
        public static final int MAX_SEGMENTS = 900;

        public Settings {
            if (totalSegments < 1 || totalSegments > MAX_SEGMENTS || pageSize < 1 || batchSize < 1 || pagesPerRun < 0) {
                throw new IllegalArgumentException("segments must be 1.." + MAX_SEGMENTS
                        + ", page and batch sizes at least 1, pages per run not negative");
            }
        }

        public static Settings defaults() {
            return new Settings(4, 1_000, 1_000, 1_000, 0);
        }
    }

    /** What a run came to; {@code complete} when every segment reached its end. */
    public record Result(long itemsRead, long itemsLoaded, List<String> problems, boolean complete) {
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final List<String> keyNames;
    private final Settings settings;
    private final Consumer<String> log;

    public ScanBackfill(DynamoDbClient ddb, String table, List<String> keyNames, Settings settings, Consumer<String> log) {
        this.ddb = ddb;
        this.table = table;
        this.keyNames = List.copyOf(keyNames);
        this.settings = settings;
        this.log = log;
    }

    /**
     * Scans every segment not yet done in the checkpoint and loads what it reads.
     *
     * @param streamEnabledAt when the table's stream started: the run is refused if that is after the
     *                        scan's start (changes in between would be in neither): a {@link BackfillRefusedException}
     * @param relays          a new relay per segment, closed when the segment ends
     */
    public Result run(ScanCheckpoint checkpoint, Instant streamEnabledAt, Supplier<Relay> relays) throws InterruptedException {
        SnapshotPoint point = SnapshotPoint.at(checkpoint.scanStart());
        point.requireStreamCovers(streamEnabledAt);
        SnapshotRecords records = new SnapshotRecords(keyNames, point);
        ScanPages pages = new ScanPages(ddb, table, settings.totalSegments(), settings.pageSize(),
                new ReadRateLimiter(settings.readUnitsPerSecond()));
        AtomicLong read = new AtomicLong();
        AtomicLong loaded = new AtomicLong();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.totalSegments(), 64));
        List<Future<?>> running = new ArrayList<>();
        for (int segment = 0; segment < settings.totalSegments(); segment++) {
            int s = segment;
            if (!checkpoint.segment(s).done()) {
                running.add(pool.submit(() -> {
                    try (Relay relay = relays.get()) {
                        scanSegment(s, new SnapshotLoader(relay, records, settings.batchSize()), checkpoint, pages,
                                read, loaded, problems);
                    }
                    return null;
                }));
            }
        }
        try {
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    problems.add("a segment stopped: " + e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        log.accept("scan backfill of " + table + " as of " + point.snapshotTime() + ": " + loaded.get() + " of "
                + read.get() + " item(s) read were loaded; " + problems.size() + " problem(s)");
        return new Result(read.get(), loaded.get(), List.copyOf(problems), checkpoint.allDone());
    }

    private void scanSegment(int segment, SnapshotLoader loader, ScanCheckpoint checkpoint, ScanPages pages,
                             AtomicLong read, AtomicLong loaded, List<String> problems) throws InterruptedException {
        for (int n = 0; !checkpoint.segment(segment).done()
                && (settings.pagesPerRun() == 0 || n < settings.pagesPerRun()); n++) {
            SegmentPosition at = checkpoint.segment(segment);
            ScanPages.Page page = pages.read(segment, at);
            SourceOutcome outcome = ScanPages.load(loader, segment, at, page);
            read.addAndGet(outcome.itemsRead());
            loaded.addAndGet(outcome.itemsLoaded());
            if (!outcome.clean()) {
                problems.addAll(outcome.problems());
                problems.add(outcome.source() + ": the segment stopped here; run again to resume from this page");
                return;
            }
            checkpoint.pageLoaded(segment, page.lastKey(), outcome.itemsRead(), outcome.itemsLoaded());
        }
    }
}
