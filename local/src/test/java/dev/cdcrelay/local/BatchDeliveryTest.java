package dev.cdcrelay.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventReader;
import dev.cdcrelay.kinesis.MalformedEventException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lambda's side of ReportBatchItemFailures: re-deliver from the reported sequence number. */
class BatchDeliveryTest {

    @Test
    void aReportedFailureIsReDeliveredFromThatRecord() {
        List<List<String>> calls = new ArrayList<>();
        int[] invocation = {0};
        RequestStreamHandler handler = (input, output, context) -> {
            List<IncomingRecord> event;
            try {
                event = KinesisEventReader.readRecords(input.readAllBytes());
            } catch (MalformedEventException e) {
                throw new IOException(e);
            }
            List<String> seqs = event.stream().map(IncomingRecord::sequenceNumber).toList();
            calls.add(seqs);
            String failures = invocation[0]++ == 0 ? "{\"itemIdentifier\":\"" + seqs.get(2) + "\"}" : "";
            output.write(("{\"batchItemFailures\":[" + failures + "]}").getBytes(StandardCharsets.UTF_8));
        };
        KinesisRecordWrapper wrapper = new KinesisRecordWrapper("eu-central-1", "t", "arn");
        BatchDelivery delivery = new BatchDelivery(handler, wrapper, 4, m -> { });
        List<KinesisRecordWrapper.Wrapped> records = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            records.add(new KinesisRecordWrapper.Wrapped(KinesisRecordWrapper.kinesisSequence(Integer.toString(i)),
                    "PK", new byte[] {'{', '}'}, 0, "shardId-1"));
        }
        delivery.add(records);
        assertFalse(delivery.deliverPending());
        assertEquals(2, delivery.delivered());
        assertEquals(4, delivery.pending());
        assertTrue(delivery.deliverPending());
        assertEquals(6, delivery.delivered());
        assertEquals(2, calls.size());
        assertEquals(List.of(1, 2, 3, 4), numbers(calls.get(0)));
        assertEquals(List.of(3, 4, 5, 6), numbers(calls.get(1)), "re-delivered from the failed record");
        assertEquals(56, calls.get(0).get(0).length());
    }

    private static List<Integer> numbers(List<String> seqs) {
        return seqs.stream().map(Integer::parseInt).toList();
    }
}
