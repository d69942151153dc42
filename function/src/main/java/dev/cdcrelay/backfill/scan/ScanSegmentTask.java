package dev.cdcrelay.backfill.scan;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import dev.cdcrelay.backfill.SnapshotLoader;
import dev.cdcrelay.backfill.SnapshotPoint;
import dev.cdcrelay.backfill.SnapshotRecords;
import dev.cdcrelay.backfill.SourceOutcome;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.settings.BackfillSettings;
import dev.cdcrelay.write.Deadline;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backfill function's {@code scanSegment} action: one segment of a parallel Scan, as many pages
 * as the invocation has time for, each loaded and then recorded in the segment's checkpoint in S3
 * ({@code <prefix>scans/<scanId>/segment-<k>.json}), so the next invocation (the state machine loops
 * while the status is MORE) resumes after the last loaded page with the scan's original snapshot time.
 *
 * <p>Status: DONE when the segment reached its end, MORE when time ran short first, PROBLEMS when a
 * page held an invalid item (the checkpoint stays before that page). The sink not taking items is
 * thrown as {@link RetryableBackfillException}: the retry loads the same page again.
 */
public final class ScanSegmentTask {

    /** Items per Scan request. */
    static final int PAGE_SIZE = 1_000;
    /** Time kept back at least, beyond three times the slowest page so far: the checkpoint write and the reply. */
    static final Duration MIN_RESERVE = Duration.ofSeconds(30);

    private final DynamoDbClient ddb;
    private final ObjectStore store;
    private final BackfillSettings settings;
    private final List<String> keyNames;
    private final int batchSize;

    public ScanSegmentTask(DynamoDbClient ddb, ObjectStore store, BackfillSettings settings, List<String> keyNames,
                           int batchSize) {
        this.ddb = ddb;
        this.store = store;
        this.settings = settings;
        this.keyNames = List.copyOf(keyNames);
        this.batchSize = batchSize;
    }

    public Map<String, Object> run(TaskInput input, Relay relay, Deadline deadline) {
        int totalSegments = (int) input.whole("totalSegments", 1, ScanBackfill.Settings.MAX_SEGMENTS);
        int segment = (int) input.whole("segment", 0, totalSegments - 1);
        SegmentCheckpoint owner = new SegmentCheckpoint(input.string("scanId"), settings.tableName(), segment,
                totalSegments, input.instant("snapshotTime"));
        Duration margin = Duration.ofSeconds(input.optionalWhole("marginSeconds", 0, 86_400)
                .orElse(SnapshotPoint.DEFAULT_MARGIN_SECONDS));
        double readUnits = input.optionalPositive("readUnitsPerSecond").orElse(100.0);
        CheckpointStore checkpoint = CheckpointStore.object(store, settings.bucket(), checkpointKey(settings, owner));
        SnapshotLoader loader = new SnapshotLoader(relay,
                new SnapshotRecords(keyNames, new SnapshotPoint(owner.snapshotTime(), margin)), batchSize);
        ScanPages pages = new ScanPages(ddb, settings.tableName(), totalSegments, PAGE_SIZE, new ReadRateLimiter(readUnits));
        SegmentPosition at = owner.load(checkpoint);
        List<String> problems = List.of();
        long slowestPage = 0;
        while (!at.done() && deadline.remainingMillis() > Math.max(MIN_RESERVE.toMillis(), 3 * slowestPage)) {
            long start = System.nanoTime();
            ScanPages.Page page = readPage(pages, segment, at);
            SourceOutcome outcome = ScanPages.load(loader, segment, at, page);
            if (outcome.notTaken() > 0) {
                throw new RetryableBackfillException("segment " + segment + ": the sink did not take " + outcome.notTaken()
                        + " item(s) of page " + (at.pages() + 1) + "; the page is loaded again on retry: " + outcome.problems());
            }
            if (!outcome.clean()) {
                problems = outcome.problems();
                break;
            }
            at = at.next(page.lastKey(), outcome.itemsRead(), outcome.itemsLoaded());
            owner.save(checkpoint, at);
            slowestPage = Math.max(slowestPage, (System.nanoTime() - start) / 1_000_000);
        }
        Map<String, Object> output = new LinkedHashMap<>(input.members());
        output.put("segment", (long) segment);
        output.put("status", !problems.isEmpty() ? "PROBLEMS" : at.done() ? "DONE" : "MORE");
        output.put("itemsRead", at.itemsRead());
        output.put("loaded", at.itemsLoaded());
        output.put("problems", problems);
        return output;
    }

    /** {@code <prefix>scans/<scanId>/segment-<k>.json}. */
    public static String checkpointKey(BackfillSettings settings, SegmentCheckpoint owner) {
        return settings.prefix() + "scans/" + owner.scanId() + "/segment-" + owner.segment() + ".json";
    }

    private static ScanPages.Page readPage(ScanPages pages, int segment, SegmentPosition at) {
        try {
            return pages.read(segment, at);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableBackfillException("segment " + segment + ": interrupted while waiting for read capacity");
        } catch (DynamoDbException e) {
            String what = "segment " + segment + ": Scan failed: " + e.getMessage();
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new RetryableBackfillException(what, e);
            }
            throw new BackfillRefusedException(what);
        } catch (SdkException e) {
            throw new RetryableBackfillException("segment " + segment + ": Scan failed: " + e.getMessage(), e);
        }
    }
}
