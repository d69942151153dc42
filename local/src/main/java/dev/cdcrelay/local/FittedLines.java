package dev.cdcrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A console stream for the demo that keeps every line within a width: a longer line is wrapped at
 * its last blank before the limit (a single word longer than that is cut), continuation lines
 * indented by four blanks. The relay's own lines (e.g. the handler's batch summary) are written to
 * {@code System.out} whole; this is where they are fitted for an 80- to 100-column terminal.
 */
final class FittedLines extends OutputStream {

    static final String INDENT = "    ";

    private final PrintStream target;
    private final int width;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private FittedLines(PrintStream target, int width) {
        this.target = target;
        this.width = width;
    }

    /** A UTF-8 stream writing to {@code target}, no line wider than {@code width}. */
    static PrintStream fitting(PrintStream target, int width) {
        return new PrintStream(new FittedLines(target, width), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            target.print(wrap(line.toString(StandardCharsets.UTF_8), width));
            target.flush();
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    /** The line as one or more lines, each ending in a newline. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        String rest = text;
        String prefix = "";
        while (prefix.length() + rest.codePointCount(0, rest.length()) > width) {
            int room = width - prefix.length();
            int limit = rest.offsetByCodePoints(0, room);
            int cut = rest.lastIndexOf(' ', limit);
            if (cut <= 0) {
                cut = limit;
            }
            out.append(prefix).append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).stripLeading();
            prefix = INDENT;
        }
        return out.append(prefix).append(rest).append('\n').toString();
    }
}
