package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

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

    public RelayHandler() {
        this(Relay.fromConfig(RelayConfig.fromEnvironment(System.getenv()), RelayHandler::log));
    }

    public RelayHandler(Relay relay) {
        this.relay = relay;
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
        BatchResult result = relay.apply(records, deadline);
        log("batch " + result.summary());

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

    /** Lambda sends stdout to CloudWatch Logs; one line per message. Never given secrets or payloads. */
    static void log(String message) {
        System.out.println("[cdc-relay] " + message.replace('\n', ' '));
    }
}
