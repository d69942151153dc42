package dev.cdcrelay.local;

import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tails one DynamoDB stream through the DynamoDB Streams API: every shard from TRIM_HORIZON, a child
 * shard only after its parent is read to the end, and each record wrapped as Kinesis would carry it.
 * Not thread-safe: one caller polls.
 */
public final class StreamReader {

    private static final int RECORDS_PER_CALL = 1000;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final KinesisRecordWrapper wrapper;
    /** Open shards and their next iterator, in the order they were found. */
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, String> lastSequence = new HashMap<>();
    private final Set<String> finished = new HashSet<>();

    public StreamReader(DynamoDbStreamsClient streams, String streamArn, KinesisRecordWrapper wrapper) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.wrapper = wrapper;
    }

    /** Reads everything currently in the stream that was not read before, in stream order. */
    public List<KinesisRecordWrapper.Wrapped> poll() {
        discoverShards();
        List<KinesisRecordWrapper.Wrapped> out = new ArrayList<>();
        for (String shardId : new ArrayList<>(iterators.keySet())) {
            readShard(shardId, out);
        }
        return out;
    }

    private void discoverShards() {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            StreamDescription d = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            shards.addAll(d.shards());
            start = d.lastEvaluatedShardId();
        } while (start != null);
        Set<String> known = new HashSet<>();
        shards.forEach(s -> known.add(s.shardId()));
        boolean added = true;
        while (added) { // parents first, so a child found in the same call waits for them
            added = false;
            for (Shard s : shards) {
                String id = s.shardId();
                if (iterators.containsKey(id) || finished.contains(id)) {
                    continue;
                }
                String parent = s.parentShardId();
                if (parent == null || finished.contains(parent) || !known.contains(parent)) {
                    iterators.put(id, iterator(id, null));
                    added = true;
                }
            }
        }
    }

    private String iterator(String shardId, String afterSequence) {
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (afterSequence == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequence);
            }
        }).shardIterator();
    }

    private void readShard(String shardId, List<KinesisRecordWrapper.Wrapped> out) {
        while (true) {
            String it = iterators.get(shardId);
            if (it == null) {
                iterators.remove(shardId);
                finished.add(shardId);
                return;
            }
            GetRecordsResponse r;
            try {
                r = streams.getRecords(b -> b.shardIterator(it).limit(RECORDS_PER_CALL));
            } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
                iterators.put(shardId, iterator(shardId, lastSequence.get(shardId)));
                continue;
            }
            for (Record rec : r.records()) {
                out.add(wrapper.wrap(rec, shardId));
                lastSequence.put(shardId, rec.dynamodb().sequenceNumber());
            }
            iterators.put(shardId, r.nextShardIterator());
            if (r.records().isEmpty()) {
                if (r.nextShardIterator() == null) {
                    iterators.remove(shardId);
                    finished.add(shardId);
                }
                return; // caught up with this shard
            }
        }
    }
}
