package dev.cdcrelay.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
            g.writeStringField("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
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
