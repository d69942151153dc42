package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.cdcrelay.logging.LogLevel;
import dev.cdcrelay.logging.LogLine;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Lambda entry point for a Kinesis event source mapping with ReportBatchItemFailures. Thin on
 * purpose: converts the event, hands it to {@link Relay}, and turns the result into the response
 * Lambda checkpoints on (the first record not handled; nothing when all were).
 *
 * <p>Lambda creates one instance per container with the no-argument constructor; configuration is
 * read and validated there, once, and the sink connection is opened there too.
 */
public class RelayHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

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

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> in = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        List<IncomingRecord> records = new ArrayList<>(in.size());
        for (KinesisEvent.KinesisEventRecord r : in) {
            KinesisEvent.Record k = r.getKinesis();
            records.add(new IncomingRecord(k.getSequenceNumber(), k.getPartitionKey(), bytes(k.getData()),
                    k.getApproximateArrivalTimestamp() == null ? 0 : k.getApproximateArrivalTimestamp().getTime()));
        }
        Deadline deadline = context == null ? Deadline.none() : context::getRemainingTimeInMillis;
        long start = System.nanoTime();
        BatchResult result = relay.apply(records, deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Optional<String> requestId = context == null ? Optional.empty() : Optional.ofNullable(context.getAwsRequestId());
        report.lines(result, took, requestId).forEach(out);

        StreamsEventResponse response = new StreamsEventResponse();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(1);
        // Lambda re-delivers from the lowest reported sequence number: one entry says it all.
        result.firstFailedSequence().ifPresent(seq -> failures.add(new StreamsEventResponse.BatchItemFailure(seq)));
        response.setBatchItemFailures(failures);
        return response;
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        ByteBuffer b = data.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Lambda sends stdout to CloudWatch Logs; one JSON line per message, in the shape of Lambda's
     * JSON log format. Never given secrets or payloads.
     */
    static void log(String message) {
        System.out.println(LogLine.of(Instant.now(), LogLevel.INFO, message, Optional.empty(), Map.of()));
    }
}
