package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cdcrelay.decode.JsonStrings;
import dev.cdcrelay.kinesis.KinesisEventReader;
import dev.cdcrelay.kinesis.MalformedEventException;
import dev.cdcrelay.logging.LogLevel;
import dev.cdcrelay.logging.LogLine;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Lambda entry point for a Kinesis event source mapping with ReportBatchItemFailures. Thin on
 * purpose: reads the event, hands it to {@link Relay}, and turns the result into the response
 * Lambda checkpoints on (the first record not handled; nothing when all were).
 *
 * <p>Lambda creates one instance per container with the no-argument constructor; configuration is
 * read and validated there, once, and the sink connection is opened there too.
 *
 * <p>A stream handler: the event is read with {@link KinesisEventReader} (the reader {@code replay}
 * uses for event files) and the response written here, not by the runtime's serializer for
 * {@code RequestHandler<KinesisEvent, StreamsEventResponse>}. That serializer (jackson databind
 * with AWS's mix-ins) cost a cold container about 0.65 CPU-seconds for its first event with C1,
 * against 0.1 for the reader (docs/performance.md, "The image's launch").
 */
public class RelayHandler implements RequestStreamHandler {

    private final Relay relay;
    private final InvocationReport report;
    private final Consumer<String> out;

    public RelayHandler() {
        this(Relay.fromConfig(RelayConfig.fromEnvironment(System.getenv()), RelayHandler::log));
    }

    /** Reports to stdout, with the function name Lambda sets and the system clock. */
    public RelayHandler(Relay relay) {
        this(relay, new InvocationReport(MetricDimensions.fromEnvironment(System.getenv(),
                relay.writer().table().toString()), Clock.systemUTC()), System.out::println);
    }

    /**
     * @param out where the metrics document and the batch line go, one line each (stdout in Lambda)
     */
    public RelayHandler(Relay relay, InvocationReport report, Consumer<String> out) {
        this.relay = relay;
        this.report = report;
        this.out = out;
    }

    /**
     * The invocation as Lambda makes it: the event's JSON in, the response's JSON out,
     * {@code {"batchItemFailures":[{"itemIdentifier":"<sequence number>"}]}} or an empty list, as
     * the runtime's serializer spells a {@code StreamsEventResponse}.
     *
     * @throws IllegalArgumentException the input is not a Kinesis event (the message says where);
     *                                  no record of it was applied
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<IncomingRecord> records;
        try {
            records = KinesisEventReader.readRecords(input.readAllBytes());
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException("the invocation's event is not a Kinesis event: " + e.getMessage(), e);
        }
        Optional<String> firstFailed = apply(records, context);
        StringBuilder response = new StringBuilder(64).append("{\"batchItemFailures\":[");
        firstFailed.ifPresent(seq -> {
            response.append("{\"itemIdentifier\":");
            JsonStrings.appendQuoted(response, seq);
            response.append('}');
        });
        output.write(response.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Applies the records and reports the invocation; returns the sequence number Lambda is to
     * re-deliver from, if any. Lambda re-delivers from the lowest reported sequence number: one
     * entry says it all.
     */
    private Optional<String> apply(List<IncomingRecord> records, Context context) {
        Deadline deadline = context == null ? Deadline.none() : context::getRemainingTimeInMillis;
        long start = System.nanoTime();
        BatchResult result = relay.apply(records, deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Optional<String> requestId = context == null ? Optional.empty() : Optional.ofNullable(context.getAwsRequestId());
        report.lines(result, took, requestId).forEach(out);
        return result.firstFailedSequence();
    }

    /**
     * Lambda sends stdout to CloudWatch Logs; one JSON line per message, in the shape of Lambda's
     * JSON log format. Never given secrets or payloads.
     */
    static void log(String message) {
        System.out.println(LogLine.of(Instant.now(), LogLevel.INFO, message, Optional.empty(), Map.of()));
    }
}
