package dev.cdcrelay.proof;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.write.Deadline;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Lambda's objects for handler-level tests: a Kinesis event and a Context with a deadline. */
final class LambdaEvents {

    private LambdaEvents() {
    }

    static KinesisEvent event(List<IncomingRecord> records) {
        List<KinesisEvent.KinesisEventRecord> list = new ArrayList<>();
        for (IncomingRecord r : records) {
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setSequenceNumber(r.sequenceNumber());
            k.setPartitionKey(r.partitionKey());
            k.setData(ByteBuffer.wrap(r.data()));
            k.setApproximateArrivalTimestamp(new Date(r.arrivalEpochMillis()));
            KinesisEvent.KinesisEventRecord e = new KinesisEvent.KinesisEventRecord();
            e.setKinesis(k);
            e.setEventSource("aws:kinesis");
            e.setEventName("aws:kinesis:record");
            list.add(e);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(list);
        return event;
    }

    /** A Context whose remaining time follows the deadline; every other method answers null/0. */
    static Context context(Deadline deadline) {
        return (Context) Proxy.newProxyInstance(LambdaEvents.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> (int) Math.max(0, Math.min(Integer.MAX_VALUE, deadline.remainingMillis()));
                    case "getMemoryLimitInMB" -> 512;
                    case "getAwsRequestId" -> "test-request";
                    case "toString" -> "TestContext";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
