package dev.cdcrelay.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays Lambda's part of a Kinesis event source mapping with ReportBatchItemFailures: hands the
 * handler batches in stream order and, when it reports a failed sequence number, keeps that record
 * and everything after it to deliver again (after a back-off), as Lambda re-delivers from the
 * reported checkpoint. Not thread-safe.
 */
public final class BatchDelivery {

    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final KinesisRecordWrapper wrapper;
    private final int batchSize;
    private final Consumer<String> log;
    private final Deque<KinesisRecordWrapper.Wrapped> pending = new ArrayDeque<>();
    private long delivered;
    private long failedBatches;

    public BatchDelivery(RequestHandler<KinesisEvent, StreamsEventResponse> handler, KinesisRecordWrapper wrapper,
                         int batchSize, Consumer<String> log) {
        this.handler = handler;
        this.wrapper = wrapper;
        this.batchSize = batchSize;
        this.log = log;
    }

    public void add(Collection<KinesisRecordWrapper.Wrapped> records) {
        pending.addAll(records);
    }

    public int pending() {
        return pending.size();
    }

    /** Records the handler has acknowledged so far. */
    public long delivered() {
        return delivered;
    }

    public long failedBatches() {
        return failedBatches;
    }

    /**
     * Delivers pending records batch by batch; stops at the first batch with a reported failure
     * (those records stay pending). Returns false if a batch failed.
     */
    public boolean deliverPending() {
        while (!pending.isEmpty()) {
            List<KinesisRecordWrapper.Wrapped> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
            for (KinesisRecordWrapper.Wrapped w : pending) {
                if (batch.size() == batchSize) {
                    break;
                }
                batch.add(w);
            }
            String failedAt = deliver(handler, wrapper, batch);
            if (failedAt == null) {
                batch.forEach(w -> pending.removeFirst());
                delivered += batch.size();
                continue;
            }
            failedBatches++;
            int ok = 0;
            while (ok < batch.size() && !batch.get(ok).sequenceNumber().equals(failedAt)) {
                ok++;
            }
            if (ok == batch.size()) {
                ok = 0; // a sequence number not in the batch: Lambda retries the whole batch
            }
            for (int i = 0; i < ok; i++) {
                pending.removeFirst();
            }
            delivered += ok;
            log.accept("batch item failure at sequence " + failedAt + ": " + ok + " record(s) checkpointed, "
                    + pending.size() + " to re-deliver from there");
            return false;
        }
        return true;
    }

    /** One invocation; returns the reported failed sequence number, or null when all were handled. */
    public static String deliver(RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                 KinesisRecordWrapper wrapper, List<KinesisRecordWrapper.Wrapped> batch) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(batch.size());
        for (KinesisRecordWrapper.Wrapped w : batch) {
            records.add(w.toEventRecord(wrapper.region(), wrapper.kinesisStreamArn()));
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        StreamsEventResponse response = handler.handleRequest(event, null);
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return null;
        }
        return response.getBatchItemFailures().get(0).getItemIdentifier();
    }
}
