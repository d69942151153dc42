package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.credentials.SecretsManagerPassword;
import dev.cdcrelay.deadletter.DeadLetter;
import dev.cdcrelay.deadletter.DeadLetterException;
import dev.cdcrelay.deadletter.DeadLetterSink;
import dev.cdcrelay.deadletter.DirectoryDeadLetterSink;
import dev.cdcrelay.deadletter.S3DeadLetterSink;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ChangeReducer;
import dev.cdcrelay.plan.KeySchema;
import dev.cdcrelay.settings.TtlDeletes;
import dev.cdcrelay.write.ChangeWriter;
import dev.cdcrelay.write.Deadline;
import dev.cdcrelay.write.SplitBatchWriter;
import dev.cdcrelay.write.SinkConnection;
import dev.cdcrelay.write.SinkWriter;
import dev.cdcrelay.write.SqlErrors;
import dev.cdcrelay.write.WriteResult;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One batch through the pipeline: decode every record, collapse to the newest change per item,
 * write, dead-letter what can never be applied, and name the first record that was not handled.
 * I/O lives in the writer and the dead-letter sink; this class only decides.
 */
public final class Relay implements AutoCloseable {

    private static final int MAX_REASONS = 5;

    private final ChangeDecoder decoder;
    private final ChangeWriter writer;
    private final DeadLetterSink deadLetters; // null: nothing is dead-lettered, failures are reported
    private final TtlDeletes ttlDeletes;
    private final Consumer<String> log;

    public Relay(ChangeDecoder decoder, ChangeWriter writer, DeadLetterSink deadLetters,
                 TtlDeletes ttlDeletes, Consumer<String> log) {
        this.decoder = decoder;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.ttlDeletes = ttlDeletes;
        this.log = log;
    }

    /**
     * Builds the relay the configuration describes and tries to connect right away, so the first
     * invocation does not pay for it. A sink that is down at start-up is not fatal: the first batch
     * retries and reports. A password secret that cannot be read is fatal (IllegalStateException
     * naming the setting): nothing could be written without it.
     */
    public static Relay fromConfig(RelayConfig config, Consumer<String> log) {
        return fromConfig(config, Optional::empty, log);
    }

    /**
     * {@link #fromConfig(RelayConfig, Consumer)} for a relay whose records are read while it
     * connects (a replay): when no key schema is configured, the first change's keys name it once
     * connected, so that the tables are prepared at start-up too instead of in the first batch.
     * The first batch would infer it from its first change that is written: a change of the same
     * table, whose changes all carry the same key attributes. A first record that cannot be decoded
     * names none, and then the first batch does, as in the function.
     *
     * @param firstChange the first record's change, waited for after connecting; empty when there
     *                    is none (no records, or the first one cannot be decoded)
     */
    public static Relay fromConfig(RelayConfig config, Supplier<Optional<ChangeRecord>> firstChange,
                                   Consumer<String> log) {
        String password = config.passwordSecretArn()
                .map(arn -> SecretsManagerPassword.fetch(arn, config.awsRegion().orElse(null),
                        config.secretsManagerEndpoint().orElse(null)))
                .orElseGet(config::password);
        SinkConnection connection = connection(config, password);
        boolean reached = reach(connection, log);
        Optional<KeySchema> keySchema = config.keySchema();
        if (keySchema.isEmpty() && reached) {
            keySchema = firstChange.get().map(c -> KeySchema.inferFrom(c.keys()));
            keySchema.ifPresent(k -> log.accept("key schema inferred from the first record: " + k.names()));
        }
        SinkWriter first = writer(config, connection, keySchema, log);
        if (reached) {
            warmUp(first, connection, log);
        }
        ChangeWriter writer = first;
        int connections = config.settings().writer().connections();
        if (connections > 1) {
            List<SinkWriter> writers = new ArrayList<>(List.of(first));
            List<Runnable> warmUps = new ArrayList<>();
            for (int i = 1; i < connections; i++) {
                SinkConnection more = connection(config, password);
                SinkWriter other = writer(config, more, keySchema, log);
                writers.add(other);
                if (reached) { // the tables are prepared by now: the others only connect and check them
                    warmUps.add(() -> {
                        if (reach(more, log)) {
                            warmUp(other, more, log);
                        }
                    });
                }
            }
            writer = new SplitBatchWriter(writers, warmUps);
        }
        DeadLetterSink deadLetters = null;
        if (config.deadLetterBucket().isPresent()) {
            deadLetters = S3DeadLetterSink.fromEnvironment(config.deadLetterBucket().get(), config.deadLetterPrefix());
        } else if (config.deadLetterDirectory().isPresent()) {
            deadLetters = new DirectoryDeadLetterSink(Path.of(config.deadLetterDirectory().get()));
        }
        log.accept("relay ready: " + config + writer.dialect().map(d -> ", dialect=" + d.name()).orElse("")
                + (connections > 1 ? ", connections=" + connections : ""));
        return new Relay(new ChangeDecoder(), writer, deadLetters, config.ttlDeletes(), log);
    }

    private static SinkConnection connection(RelayConfig config, String password) {
        return new SinkConnection(config.jdbcUrl(), config.user(), password, config.connectTimeoutSeconds());
    }

    private static SinkWriter writer(RelayConfig config, SinkConnection connection, Optional<KeySchema> keySchema,
                                     Consumer<String> log) {
        return new SinkWriter(connection, null, config.table(), config.tombstoneTable(), keySchema.orElse(null),
                config.declaredTypes(), config.writerSettings(), log);
    }

    private static void warmUp(SinkWriter writer, SinkConnection connection, Consumer<String> log) {
        try {
            writer.warmUp();
        } catch (SQLException e) {
            notReached(connection, e, log);
        }
    }

    /** Connects once (the warm-up then reuses the connection); false when the sink cannot be reached now. */
    private static boolean reach(SinkConnection connection, Consumer<String> log) {
        try {
            connection.get();
            return true;
        } catch (SQLException e) {
            notReached(connection, e, log);
            return false;
        }
    }

    private static void notReached(SinkConnection connection, SQLException e, Consumer<String> log) {
        connection.discard();
        log.accept("sink not reachable at start-up (" + connection.describe() + "), will retry: "
                + SqlErrors.describe(e));
    }

    public ChangeWriter writer() {
        return writer;
    }

    /** What became of one record of the batch. */
    private enum Fate { APPLIED, SKIPPED, LETTERED, FAILED }

    public BatchResult apply(List<IncomingRecord> records, Deadline deadline) {
        List<DecodedRecord> decoded = new ArrayList<>(records.size());
        for (IncomingRecord r : records) {
            decoded.add(DecodedRecord.of(r, decoder));
        }
        return applyDecoded(decoded, deadline);
    }

    /** {@link #apply} of records decoded beforehand ({@link DecodedRecord#of}), in their batch order. */
    public BatchResult applyDecoded(List<DecodedRecord> batch, Deadline deadline) {
        int n = batch.size();
        ChangeRecord[] changes = new ChangeRecord[n]; // null where the record could not be decoded
        Fate[] fates = new Fate[n];                   // null until decided
        Letters letters = new Letters();
        Set<String> reasons = new LinkedHashSet<>();

        List<ChangeRecord> toWrite = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DecodedRecord d = batch.get(i);
            ChangeRecord c = d.change();
            if (c == null) {
                letters.add(i, new DeadLetter(d.record(), d.problem(), DeadLetter.SOURCE_DECODE, null, Instant.now()));
                addReason(reasons, d.problem());
                continue;
            }
            changes[i] = c;
            if (c.eventName() == EventName.REMOVE && c.expiredByTtl() && ttlDeletes == TtlDeletes.KEEP) {
                fates[i] = Fate.SKIPPED;
            } else {
                toWrite.add(c);
            }
        }

        Map<ItemKey, ChangeRecord> newest = ChangeReducer.newestPerItem(toWrite);
        long writeStart = System.nanoTime();
        WriteResult written = newest.isEmpty()
                ? new WriteResult(Map.of(), new WriteResult.Counters())
                : writer.write(newest.values(), deadline);
        BatchTiming timing = BatchTiming.of(Duration.ofNanos(System.nanoTime() - writeStart), newest, written);

        // Dead-letter the newest change of items the sink rejected for good (older changes of that
        // item are superseded by it). A fault of the sink is never a record's: it is only reported.
        Map<ChangeRecord, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            if (changes[i] != null) {
                position.put(changes[i], i);
            }
        }
        Set<ItemKey> rejected = new HashSet<>();
        for (Map.Entry<ItemKey, WriteResult.Outcome> e : written.outcomes().entrySet()) {
            if (e.getValue() instanceof WriteResult.Outcome.Failed f) {
                addReason(reasons, f.reason());
                if (!f.transientFailure()) {
                    rejected.add(e.getKey());
                    ChangeRecord c = newest.get(e.getKey());
                    int i = position.get(c);
                    letters.add(i, new DeadLetter(batch.get(i).record(), f.reason(), DeadLetter.SOURCE_DATABASE, c.eventId(),
                            Instant.now()));
                }
            } else if (e.getValue() instanceof WriteResult.Outcome.SinkFaulted s) {
                addReason(reasons, s.fault().message());
            }
        }
        boolean lettersStored = sendLetters(letters, reasons);
        for (int i : letters.positions) {
            fates[i] = lettersStored ? Fate.LETTERED : Fate.FAILED;
        }
        tally(changes, fates, newest, written, rejected, lettersStored);
        return result(batch, fates, reasons, written.counters(), timing);
    }

    /**
     * The fate of each written record: the newest change of its item takes the item's outcome;
     * older changes and duplicates of a handled item are skipped, of an unhandled item failed.
     */
    private static void tally(ChangeRecord[] changes, Fate[] fates, Map<ItemKey, ChangeRecord> newest,
                              WriteResult written, Set<ItemKey> rejected, boolean lettersStored) {
        for (int i = 0; i < changes.length; i++) {
            ChangeRecord c = changes[i];
            if (fates[i] != null || c == null) {
                continue;
            }
            boolean isNewest = newest.get(c.itemKey()) == c;
            WriteResult.Outcome o = written.outcomes().get(c.itemKey());
            if (o instanceof WriteResult.Outcome.Applied a) {
                fates[i] = isNewest && !a.superseded() ? Fate.APPLIED : Fate.SKIPPED;
            } else if (rejected.contains(c.itemKey()) && lettersStored) {
                fates[i] = Fate.SKIPPED; // the newest change of its item is in the dead letters
            } else {
                fates[i] = Fate.FAILED;
            }
        }
    }

    private static BatchResult result(List<DecodedRecord> batch, Fate[] fates, Set<String> reasons,
                                      WriteResult.Counters counters, BatchTiming timing) {
        int[] count = new int[Fate.values().length];
        Optional<String> firstFailed = Optional.empty();
        for (int i = 0; i < fates.length; i++) {
            Fate fate = fates[i] == null ? Fate.FAILED : fates[i];
            count[fate.ordinal()]++;
            if (fate == Fate.FAILED && firstFailed.isEmpty()) {
                firstFailed = Optional.of(batch.get(i).record().sequenceNumber());
            }
        }
        RecordCounts counts = new RecordCounts(fates.length, count[Fate.APPLIED.ordinal()],
                count[Fate.SKIPPED.ordinal()], count[Fate.LETTERED.ordinal()], count[Fate.FAILED.ordinal()]);
        return new BatchResult(counts, firstFailed, List.copyOf(reasons), counters, timing);
    }

    /** Dead letters of one batch and the positions of their records. */
    private static final class Letters {
        final List<DeadLetter> letters = new ArrayList<>();
        final List<Integer> positions = new ArrayList<>();

        void add(int position, DeadLetter letter) {
            letters.add(letter);
            positions.add(position);
        }
    }

    /** Stores the dead letters; true when they are safe (or there were none). */
    private boolean sendLetters(Letters batch, Set<String> reasons) {
        if (batch.letters.isEmpty()) {
            return true;
        }
        if (deadLetters == null) {
            return false;
        }
        try {
            deadLetters.send(batch.letters);
            log.accept("dead-lettered " + batch.letters.size() + " record(s) to " + deadLetters.describe() + ": "
                    + batch.letters.stream().map(l -> l.record().sequenceNumber() + " (" + l.reason() + ")").toList());
            return true;
        } catch (DeadLetterException e) {
            addReason(reasons, "dead-letter destination failed: " + e.getMessage());
            // Logged on its own too: the reasons list is capped and may already be full.
            log.accept("dead-letter destination failed, " + batch.letters.size()
                    + " record(s) stay unhandled and will be re-delivered: " + e.getMessage());
            return false;
        }
    }

    private static void addReason(Set<String> reasons, String reason) {
        if (reasons.size() < MAX_REASONS) {
            reasons.add(reason);
        }
    }

    @Override
    public void close() {
        writer.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
