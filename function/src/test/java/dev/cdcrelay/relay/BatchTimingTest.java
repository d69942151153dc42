package dev.cdcrelay.relay;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchTimingTest {

    @Test
    void theMeanOfEpochMicrosecondsIsExact() {
        long base = 1_764_657_000_123_457L; // 2025-12, in µs: beyond what a double sum keeps exactly
        List<Long> times = List.of(base, base + 1, base + 2, base + 5);
        BatchTiming.ChangeTimes t = BatchTiming.ChangeTimes.of(times).orElseThrow();
        assertEquals(new BatchTiming.ChangeTimes(4, base, base + 5, base + 2), t);
    }

    @Test
    void tenThousandEqualTimesHaveThatTimeAsTheirMean() {
        long at = 1_764_657_000_123_457L;
        List<Long> times = Collections.nCopies(10_000, at);
        assertEquals(new BatchTiming.ChangeTimes(10_000, at, at, at), BatchTiming.ChangeTimes.of(times).orElseThrow());
    }

    @Test
    void noTimesGiveNoSpan() {
        assertEquals(Optional.empty(), BatchTiming.ChangeTimes.of(List.of()));
    }

    @Test
    void aSpanOutOfOrderIsRefusedWithTheFigures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchTiming.ChangeTimes(1, 5, 4, 5));
        assertEquals("change times out of order: count=1 oldest=5 mean=5 newest=4", e.getMessage());
    }
}
