package dev.cdcrelay.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one invocation's metrics as one CloudWatch embedded metric format (EMF) document: a
 * single-line JSON object that CloudWatch Logs turns into metrics on its own, with no API call and
 * no added latency. Written to the published specification ("Specification: Embedded metric
 * format", Amazon CloudWatch User Guide):
 * <ul>
 *   <li>the root holds {@code _aws}: {@code Timestamp} (epoch milliseconds) and
 *       {@code CloudWatchMetrics}, one directive with {@code Namespace}, {@code Dimensions} (one
 *       dimension set) and {@code Metrics} (name and unit of each, at most 100);</li>
 *   <li>every dimension and metric named there is a member of the root: dimensions as strings,
 *       metrics as numbers;</li>
 *   <li>other root members are allowed and ignored by metric extraction: the request id rides
 *       along there, so a metric spike leads to the invocation's log lines.</li>
 * </ul>
 * Written with jackson-core (already in the image): no library, so nothing is added to cold start.
 */
public final class EmfDocument {

    /** The root member that carries the invocation's request id (not a dimension: unbounded). */
    public static final String REQUEST_ID = "AWSRequestId";

    private static final JsonFactory JSON = new JsonFactory();

    private EmfDocument() {
    }

    /**
     * @param metrics    the invocation's figures
     * @param dimensions function and table
     * @param timestamp  when the figures were taken (the metrics' time in CloudWatch)
     * @param requestId  the Lambda request id, when there is one
     * @return one line of JSON, without a line break
     */
    public static String line(InvocationMetrics metrics, MetricDimensions dimensions, Instant timestamp,
                              Optional<String> requestId) {
        StringWriter out = new StringWriter(256 + 48 * metrics.values().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestamp.toEpochMilli());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", RelayMetric.NAMESPACE);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString(RelayMetric.FUNCTION_DIMENSION);
            g.writeString(RelayMetric.TABLE_DIMENSION);
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (RelayMetric m : metrics.values().keySet()) {
                g.writeStartObject();
                g.writeStringField("Name", m.metricName());
                g.writeStringField("Unit", m.unit().cloudWatchName());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField(RelayMetric.FUNCTION_DIMENSION, dimensions.functionName());
            g.writeStringField(RelayMetric.TABLE_DIMENSION, dimensions.table());
            for (Map.Entry<RelayMetric, Long> e : metrics.values().entrySet()) {
                g.writeNumberField(e.getKey().metricName(), e.getValue());
            }
            if (requestId.isPresent()) {
                g.writeStringField(REQUEST_ID, requestId.get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }
}
