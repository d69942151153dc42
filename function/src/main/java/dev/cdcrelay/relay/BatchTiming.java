package dev.cdcrelay.relay;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.write.WriteResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The times a batch's metrics need, taken where the relay knows them: how long the write took, and
 * when the changes that reached the sink were made (DynamoDB's ApproximateCreationDateTime). Plain
 * values: replication lag is "now" minus these, and "now" is the reader's clock, not the relay's.
 *
 * @param write          time spent in the writer, retries and backoff included; zero when nothing
 *                       was written
 * @param appliedChanges the change times of the items the sink now holds; empty when none was applied
 */
public record BatchTiming(Duration write, Optional<ChangeTimes> appliedChanges) {

    public static final BatchTiming NONE = new BatchTiming(Duration.ZERO, Optional.empty());

    public BatchTiming {
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(appliedChanges, "appliedChanges");
    }

    /**
     * The change times of the items whose newest change was applied (stored, or rightly superseded
     * by a newer one already in the sink: either way the sink is as fresh as that change).
     */
    static BatchTiming of(Duration write, Map<ItemKey, ChangeRecord> newestPerItem, WriteResult written) {
        List<Long> applied = new ArrayList<>(written.outcomes().size());
        for (Map.Entry<ItemKey, WriteResult.Outcome> e : written.outcomes().entrySet()) {
            if (e.getValue() instanceof WriteResult.Outcome.Applied) {
                applied.add(newestPerItem.get(e.getKey()).version().micros());
            }
        }
        return new BatchTiming(write, ChangeTimes.of(applied));
    }

    /**
     * Change times in microseconds since the epoch (DynamoDB's unit when its precision is
     * MICROSECOND; millisecond records are scaled up when decoded).
     *
     * @param count        items applied
     * @param oldestMicros the earliest change time among them
     * @param newestMicros the latest
     * @param meanMicros   the mean
     */
    public record ChangeTimes(long count, long oldestMicros, long newestMicros, long meanMicros) {

        /** The span of the given change times (µs); empty when there are none. */
        public static Optional<ChangeTimes> of(List<Long> micros) {
            if (micros.isEmpty()) {
                return Optional.empty();
            }
            long oldest = Long.MAX_VALUE;
            long newest = Long.MIN_VALUE;
            for (long m : micros) {
                oldest = Math.min(oldest, m);
                newest = Math.max(newest, m);
            }
            // The mean as an offset from the oldest: summing raw epoch microseconds in a double
            // would lose the last digits (2^53 µs is only ~285 years, and a batch adds up to 10,000).
            long offsets = 0;
            for (long m : micros) {
                offsets += m - oldest;
            }
            return Optional.of(new ChangeTimes(micros.size(), oldest, newest, oldest + offsets / micros.size()));
        }

        public ChangeTimes {
            if (count < 1 || oldestMicros > meanMicros || meanMicros > newestMicros) {
                throw new IllegalArgumentException("change times out of order: count=" + count + " oldest="
                        + oldestMicros + " mean=" + meanMicros + " newest=" + newestMicros);
            }
        }
    }
}
