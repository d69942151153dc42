package dev.cdcrelay.bench;

import java.util.Locale;

/**
 * Progress of a long section on stderr (the figures stay alone on stdout): which section, done of
 * total, elapsed. At most one line every few seconds.
 */
final class Progress {

    private static final long EVERY_NANOS = 5_000_000_000L;
    private static final long BENCH_START = System.nanoTime();

    private final String section;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPrinted;
    private int done;

    Progress(String section, int total) {
        this.section = section;
        this.total = total;
        this.lastPrinted = start - EVERY_NANOS;
    }

    void step(String what) {
        done++;
        long now = System.nanoTime();
        if (now - lastPrinted >= EVERY_NANOS || done == total) {
            lastPrinted = now;
            System.err.printf(Locale.ROOT, "  [%s] %d of %d done (%s), section %.0f s, benchmark %.0f s%n", section,
                    done, total, what, (now - start) / 1e9, (now - BENCH_START) / 1e9);
            System.err.flush();
        }
    }
}
