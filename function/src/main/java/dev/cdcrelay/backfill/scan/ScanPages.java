package dev.cdcrelay.backfill.scan;

import dev.cdcrelay.backfill.SnapshotLoader;
import dev.cdcrelay.backfill.SourceOutcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one page of a Scan segment under the read-rate limit and loads it: the step both the
 * local parallel Scan and the backfill function's per-segment task repeat.
 */
final class ScanPages {

    /** Pages per segment that keep each item's sequence number unique (see SnapshotPoint). */
    static final int PAGES_PER_SEGMENT = 1_000_000;

    /** One page read: its items as export lines, and the key to continue after (empty at the end). */
    record Page(List<byte[]> lines, Map<String, AttributeValue> lastKey) {
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final int totalSegments;
    private final int pageSize;
    private final ReadRateLimiter limiter;

    ScanPages(DynamoDbClient ddb, String table, int totalSegments, int pageSize, ReadRateLimiter limiter) {
        this.ddb = ddb;
        this.table = table;
        this.totalSegments = totalSegments;
        this.pageSize = pageSize;
        this.limiter = limiter;
    }

    Page read(int segment, SegmentPosition at) throws InterruptedException {
        limiter.awaitTurn();
        ScanResponse page = ddb.scan(b -> {
            b.tableName(table).segment(segment).totalSegments(totalSegments).limit(pageSize)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (!at.lastKey().isEmpty()) {
                b.exclusiveStartKey(at.lastKey());
            }
        });
        long bytes = 0;
        List<byte[]> lines = new ArrayList<>(page.count());
        for (Map<String, AttributeValue> item : page.items()) {
            byte[] line = ScanItems.line(item);
            bytes += line.length;
            lines.add(line);
        }
        limiter.consumed(page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null
                ? page.consumedCapacity().capacityUnits() : ReadRateLimiter.estimate(bytes));
        return new Page(lines, page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : Map.of());
    }

    /** Loads a page read at {@code at}; named "segment k page n" in problems. */
    static SourceOutcome load(SnapshotLoader loader, int segment, SegmentPosition at, Page page) {
        Iterator<byte[]> it = page.lines().iterator();
        String source = "segment " + segment + " page " + (at.pages() + 1);
        return loader.load(source, segment * PAGES_PER_SEGMENT + at.pages() % PAGES_PER_SEGMENT,
                () -> it.hasNext() ? Optional.of(it.next()) : Optional.empty(), n -> { });
    }
}
