package dev.cdcrelay.backfill;

import java.time.Duration;
import java.util.Locale;

/** The text of the progress line: items done of the total, items per second, time left. */
public final class ProgressLine {

    private ProgressLine() {
    }

    /** E.g. {@code 12,345 of 100,000 items (12.3%), 4,321 items/s, ETA 0:00:21}. */
    public static String format(long done, long total, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = done / seconds;
        String percent = total == 0 ? "100.0" : String.format(Locale.ROOT, "%.1f", 100.0 * Math.min(done, total) / total);
        String eta = done == 0 || rate <= 0 ? "--:--:--" : clock(Duration.ofSeconds((long) Math.ceil(Math.max(0, total - done) / rate)));
        return String.format(Locale.ROOT, "%,d of %,d items (%s%%), %,d items/s, ETA %s", done, total, percent,
                Math.round(rate), eta);
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
