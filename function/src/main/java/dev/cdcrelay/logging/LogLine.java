package dev.cdcrelay.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * One structured log line in the shape of Lambda's JSON log format: {@code timestamp} (RFC 3339,
 * UTC), {@code level}, {@code message}, {@code AWSRequestId}, then the line's own fields. Lambda
 * reads {@code level} from a JSON line written to stdout and filters on it when the function's log
 * format is JSON; Logs Insights discovers every field, so a query can say
 * {@code filter failed > 0}.
 *
 * <p>Callers pass counts, names and reasons, never a record's payload or a secret: the secrets
 * proof scans these lines.
 */
public final class LogLine {

    private static final JsonFactory JSON = new JsonFactory();

    private LogLine() {
    }

    /**
     * @param fields values that are strings, numbers, booleans, {@link Optional}s (written only when
     *               present) or collections of strings; in the order given
     * @return one line of JSON, without a line break
     */
    public static String of(Instant at, LogLevel level, String message, Optional<String> requestId,
                            Map<String, ?> fields) {
        StringWriter out = new StringWriter(128 + 32 * fields.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", timestamp(at));
            g.writeStringField("level", level.name());
            g.writeStringField("message", message);
            if (requestId.isPresent()) {
                g.writeStringField("AWSRequestId", requestId.get());
            }
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                write(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * RFC 3339 in UTC with milliseconds, as Lambda writes its own: 2026-12-02T06:30:00.000Z.
     * Written by hand: {@code Instant.toString} goes through DateTimeFormatter, which loads some
     * 50 classes (formatters, locale data) on the first log line of a cold start.
     */
    static String timestamp(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(24);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return pad(b, t.getNano() / 1_000_000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int digits) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < digits; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private static void write(JsonGenerator g, String name, Object value) throws IOException {
        if (value instanceof Optional<?> optional) {
            if (optional.isPresent()) {
                write(g, name, optional.get());
            }
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumberField(name, ((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(name, b);
        } else if (value instanceof Collection<?> list) {
            g.writeArrayFieldStart(name);
            for (Object item : list) {
                g.writeString(String.valueOf(item));
            }
            g.writeEndArray();
        } else {
            g.writeStringField(name, String.valueOf(value));
        }
    }
}
