package dev.cdcrelay.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's view of the sink table, at most {@link #WIDTH} columns wide: one block per row (like
 * psql's expanded display), JSON without blanks, values that would not fit shortened with "...",
 * and the {@code version} column shown as change time and sequence number instead of the
 * 149-character fixed-width text the sink stores.
 */
public final class SinkTablePrinter {

    public static final int WIDTH = 100;
    static final String VERSION_NOTE = "(version as stored: 20 digits of change time in µs, ':', 128 digits of"
            + " sequence number,\n zero-padded so that text order is change order)\n";

    private static final Pattern STORED_VERSION = Pattern.compile("(\\d{1,20}):(\\d{1,128})");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String LABEL = "%-7s | ";

    private SinkTablePrinter() {
    }

    /** Rows as {@link LocalSink#rows} returns them: pk, data, version. */
    public static String print(List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            String title = "-[ row " + (i + 1) + " ]";
            sb.append(title).append("-".repeat(WIDTH - title.length())).append('\n');
            field(sb, "pk", compactJson(row[0]));
            field(sb, "data", compactJson(row[1]));
            field(sb, "version", versionText(row[2]));
        }
        sb.append('(').append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
        if (!rows.isEmpty()) {
            sb.append(VERSION_NOTE);
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        String label = String.format(LABEL, name);
        sb.append(label).append(shorten(value, WIDTH - label.length())).append('\n');
    }

    /** {@code 00001795513260000001:000...0002} (149 characters) reads {@code 2026-11-24 09:41:00.000001 UTC, sequence 2}. */
    static String versionText(String stored) {
        if (stored == null) {
            return "(none)";
        }
        Matcher m = STORED_VERSION.matcher(stored);
        if (!m.matches()) {
            return stored;
        }
        long micros = Long.parseLong(m.group(1));
        Instant time = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
        String sequence = m.group(2).replaceFirst("^0+(?=.)", "");
        return TIME.format(time) + ", sequence " + sequence;
    }

    /** JSON text without blanks; anything else as it is. */
    static String compactJson(String text) {
        if (text == null) {
            return "(null)";
        }
        try {
            return JSON.writeValueAsString(JSON.readTree(text));
        } catch (JsonProcessingException notJson) {
            return text;
        }
    }

    /** At most {@code columns} characters (code points); a cut value ends in "...". */
    static String shorten(String value, int columns) {
        if (value.codePointCount(0, value.length()) <= columns) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, columns - 3)) + "...";
    }
}
