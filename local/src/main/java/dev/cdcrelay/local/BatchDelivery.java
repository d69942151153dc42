package dev.cdcrelay.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * reported checkpoint. The handler gets the event's JSON and answers with the response's JSON, as
 * Lambda invokes it. Not thread-safe.
 */
public final class BatchDelivery {

    private static final JsonFactory JSON = new JsonFactory();

    private final RequestStreamHandler handler;
    private final KinesisRecordWrapper wrapper;
    private final int batchSize;
    private final Consumer<String> log;
    private final Deque<KinesisRecordWrapper.Wrapped> pending = new ArrayDeque<>();
    private long delivered;
    private long failedBatches;

    public BatchDelivery(RequestStreamHandler handler, KinesisRecordWrapper wrapper,
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
    public static String deliver(RequestStreamHandler handler, KinesisRecordWrapper wrapper,
                                 List<KinesisRecordWrapper.Wrapped> batch) {
        try {
            ByteArrayOutputStream event = new ByteArrayOutputStream(256 + batch.size() * 700);
            try (JsonGenerator json = JSON.createGenerator(event)) {
                json.writeStartObject();
                json.writeArrayFieldStart("Records");
                for (KinesisRecordWrapper.Wrapped w : batch) {
                    w.writeEventRecord(json, wrapper.region(), wrapper.kinesisStreamArn());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event.toByteArray()), response, null);
            return firstFailure(response.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code batchItemFailures[].itemIdentifier} of a response, or null. */
    private static String firstFailure(byte[] response) throws IOException {
        try (JsonParser p = JSON.createParser(response)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("itemIdentifier")) {
                    p.nextToken();
                    return p.getText();
                }
            }
        }
        return null;
    }
}
