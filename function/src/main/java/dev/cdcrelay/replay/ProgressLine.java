package dev.cdcrelay.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Shows how far a replay is. On a terminal: one status line, redrawn in place a few times a
 * second, with inputs and bytes done of the total, records so far (and the total estimated from
 * the bytes), records/s, elapsed time and ETA. Elsewhere (a log file, CI): the same text as a plain
 * line every {@link #PLAIN_EVERY}, so a long run shows it is alive without flooding the log.
 * Log lines of the relay are printed above the status line, never into it.
 */
final class ProgressLine {

    /** Where the status goes: a terminal (one line redrawn in place) or a log (plain lines). */
    enum Display { TERMINAL, PLAIN }

    static final Duration TERMINAL_EVERY = Duration.ofMillis(250);
    static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final boolean terminal;
    private final ReplayTotals totals;
    private final long startNanos;
    private long lastShownNanos;
    private int shownWidth;
    private long inputsStarted;
    private long bytesRead;
    private long records;

    /**
     * @param nanoTime the clock ({@code System::nanoTime}; tests step it by hand)
     */
    ProgressLine(PrintStream out, LongSupplier nanoTime, Display display, ReplayTotals totals) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.terminal = display == Display.TERMINAL;
        this.totals = totals;
        this.startNanos = nanoTime.getAsLong();
        this.lastShownNanos = startNanos;
    }

    void inputStarted() {
        inputsStarted++;
        showIfDue();
    }

    void bytesRead(long count) {
        bytesRead += count;
        showIfDue();
    }

    void recordsApplied(long count) {
        records += count;
        showIfDue();
    }

    /** A line from the relay (retries, dead letters): above the status line. */
    void log(String line) {
        clear();
        out.println(line);
        if (terminal) {
            show();
        }
    }

    /** The last state, and the status line is left as it is (terminal) or printed once more (plain). */
    void finished() {
        show();
        if (terminal) {
            out.println();
            shownWidth = 0;
        }
    }

    private void showIfDue() {
        long now = nanoTime.getAsLong();
        Duration every = terminal ? TERMINAL_EVERY : PLAIN_EVERY;
        if (now - lastShownNanos >= every.toNanos()) {
            show();
        }
    }

    private void show() {
        lastShownNanos = nanoTime.getAsLong();
        String line = text();
        if (terminal) {
            // Pad over the tail of a longer previous line; \r returns to the line's start.
            out.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
            shownWidth = line.length();
            out.flush();
        } else {
            out.println(line);
        }
    }

    private void clear() {
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            shownWidth = 0;
        }
    }

    /** The status text, e.g. {@code replay: 3/30 inputs, 40,000 of ~400,000 records, 53/530 MB (10%), ...}. */
    String text() {
        long elapsedNanos = Math.max(0, nanoTime.getAsLong() - startNanos);
        double seconds = elapsedNanos / 1e9;
        StringBuilder text = new StringBuilder("replay: ")
                .append(Math.min(inputsStarted, totals.inputs())).append('/').append(totals.inputs())
                .append(" inputs, ")
                .append(String.format(Locale.ROOT, "%,d", records));
        OptionalLong totalBytes = totals.bytes();
        double share = totalBytes.isPresent() && totalBytes.getAsLong() > 0
                ? Math.min(1.0, (double) bytesRead / totalBytes.getAsLong()) : -1;
        if (share > 0 && records > 0) {
            text.append(String.format(Locale.ROOT, " of ~%,d", Math.round(records / share)));
        }
        text.append(" records, ").append(megabytes(bytesRead));
        totalBytes.ifPresent(total -> text.append('/').append(megabytes(total)));
        text.append(" MB");
        if (share >= 0) {
            text.append(String.format(Locale.ROOT, " (%d%%)", Math.round(share * 100)));
        }
        if (seconds > 0) {
            text.append(String.format(Locale.ROOT, ", %,d records/s", Math.round(records / seconds)));
        }
        text.append(", elapsed ").append(clock(elapsedNanos));
        if (share > 0 && share < 1) {
            text.append(", ETA ").append(clock(Math.round(elapsedNanos * (1 - share) / share)));
        }
        return text.toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,d", Math.round(bytes / (1024.0 * 1024.0)));
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(long nanos) {
        long total = nanos / 1_000_000_000L;
        long hours = total / 3600;
        long minutes = total / 60 % 60;
        long secs = total % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }
}
