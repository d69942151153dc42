package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.ItemKey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes one batch on several connections at once ({@code RELAY_SINK_CONNECTIONS}), each with a
 * {@link SinkWriter} of its own. The batch holds one change per item (the newest); each item goes
 * to exactly one part, so no two connections write the same row within a batch, and a batch is
 * finished on every connection before the next one starts: the order of an item's changes is the
 * order of the batches. To the sink the writers are concurrent writers of different rows, which
 * the guards serve as they serve several Lambda containers (docs/proof.md); each writer retries,
 * isolates rows and reports its own items, and the results are merged.
 *
 * <p>The parts are cut from the batch in order, REMOVEs first: a REMOVE costs statements of its
 * own (its tombstone, a read, the delete) however few there are, so the REMOVEs of a batch are
 * kept together, mostly in one part, and their statements run beside the other parts' upserts
 * instead of once in every part.
 *
 * <p>Why: a connection has one statement in flight, and CrateDB ran one bulk insert at about one
 * CPU on a 2-CPU node while the other idled; with a second statement in flight the node uses both,
 * and the relay binds the next statement while the database runs the last one
 * (docs/performance.md, "Writing on more than one connection").
 */
public final class SplitBatchWriter implements ChangeWriter {

    /**
     * A batch is split only into parts of at least this many items: below it a second statement
     * costs a round trip and a statement's fixed cost for little work.
     */
    public static final int MIN_ITEMS_PER_PART = 100;

    private final List<SinkWriter> writers;
    private final List<ExecutorService> lanes; // lanes.get(i - 1) runs writers.get(i); the caller's thread runs writers.get(0)
    private final int minItemsPerPart;

    /**
     * @param writers  two or more writers, each on a connection of its own, all for the same tables
     * @param warmUps  run first on the lanes of writers 1.. (one each, in order; may be empty):
     *                 connecting and preparing there keeps it off the caller's time
     */
    public SplitBatchWriter(List<SinkWriter> writers, List<Runnable> warmUps) {
        this(writers, warmUps, MIN_ITEMS_PER_PART);
    }

    /** With another smallest part ({@link #MIN_ITEMS_PER_PART} above): 1 splits every batch (the proofs do). */
    public SplitBatchWriter(List<SinkWriter> writers, List<Runnable> warmUps, int minItemsPerPart) {
        if (writers.size() < 2) {
            throw new IllegalArgumentException("a split batch writer needs at least 2 writers, got " + writers.size());
        }
        if (minItemsPerPart < 1) {
            throw new IllegalArgumentException("the smallest part must hold at least 1 item, got " + minItemsPerPart);
        }
        this.minItemsPerPart = minItemsPerPart;
        this.writers = List.copyOf(writers);
        this.lanes = new ArrayList<>(writers.size() - 1);
        for (int i = 1; i < writers.size(); i++) {
            String name = "sink-writer-" + (i + 1);
            ExecutorService lane = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true); // never keeps a finished replay or a frozen container alive
                return t;
            });
            if (i - 1 < warmUps.size()) {
                lane.execute(warmUps.get(i - 1));
            }
            lanes.add(lane);
        }
    }

    @Override
    public WriteResult write(Collection<ChangeRecord> newestPerItem, Deadline deadline) {
        int parts = Math.min(writers.size(), Math.max(1, newestPerItem.size() / minItemsPerPart));
        // Until the first writer has prepared the tables, it writes alone: writers creating the
        // same tables at once race (PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against
        // itself), and the key schema may still be inferred from this batch.
        if (parts == 1 || !writers.get(0).tablesReady()) {
            return writers.get(0).write(newestPerItem, deadline);
        }
        List<ChangeRecord> removesFirst = new ArrayList<>(newestPerItem.size());
        for (ChangeRecord c : newestPerItem) {
            if (c.eventName() == EventName.REMOVE) {
                removesFirst.add(c);
            }
        }
        for (ChangeRecord c : newestPerItem) {
            if (c.eventName() != EventName.REMOVE) {
                removesFirst.add(c);
            }
        }
        List<List<ChangeRecord>> split = cut(removesFirst, parts);
        List<Future<WriteResult>> others = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            SinkWriter writer = writers.get(i);
            List<ChangeRecord> part = split.get(i);
            others.add(lanes.get(i - 1).submit(() -> writer.write(part, deadline)));
        }
        List<WriteResult> results = new ArrayList<>(parts);
        Throwable failure = null;
        try {
            results.add(writers.get(0).write(split.get(0), deadline));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Every part is waited for, also after a failure: the next batch must not overtake one.
        for (Future<WriteResult> other : others) {
            try {
                results.add(awaitUninterruptibly(other));
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException("a sink writer failed", failure); // write() throws no checked exception
        }
        return merge(newestPerItem, results);
    }

    /** The items in {@code parts} runs of the same size (give or take one), in their order. */
    public static <T> List<List<T>> cut(List<T> items, int parts) {
        List<List<T>> out = new ArrayList<>(parts);
        int from = 0;
        for (int i = 1; i <= parts; i++) {
            int to = (int) ((long) items.size() * i / parts);
            out.add(items.subList(from, to));
            from = to;
        }
        return out;
    }

    /** One result in the batch's order of items, the counters added up. */
    private static WriteResult merge(Collection<ChangeRecord> newestPerItem, List<WriteResult> results) {
        Map<ItemKey, WriteResult.Outcome> all = new HashMap<>();
        WriteResult.Counters counters = new WriteResult.Counters();
        for (WriteResult r : results) {
            all.putAll(r.outcomes());
            counters.add(r.counters());
        }
        Map<ItemKey, WriteResult.Outcome> ordered = new LinkedHashMap<>();
        for (ChangeRecord c : newestPerItem) {
            ordered.put(c.itemKey(), all.get(c.itemKey()));
        }
        return new WriteResult(ordered, counters);
    }

    private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public TableName table() {
        return writers.get(0).table();
    }

    @Override
    public Optional<SinkDialect> dialect() {
        return writers.get(0).dialect();
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SinkWriter writer : writers) {
            writer.close();
        }
    }
}
