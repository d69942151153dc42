package dev.cdcrelay.relay;

import dev.cdcrelay.credentials.SecretsManagerPassword;
import dev.cdcrelay.deadletter.DeadLetter;
import dev.cdcrelay.deadletter.DeadLetterException;
import dev.cdcrelay.deadletter.DeadLetterSink;
import dev.cdcrelay.deadletter.DirectoryDeadLetterSink;
import dev.cdcrelay.deadletter.S3DeadLetterSink;
import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.ChangeReducer;
import dev.cdcrelay.settings.TtlDeletes;
import dev.cdcrelay.write.Deadline;
import dev.cdcrelay.write.SinkConnection;
import dev.cdcrelay.write.SinkWriter;
import dev.cdcrelay.write.SqlErrors;
import dev.cdcrelay.write.WriteResult;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One batch through the pipeline: decode every record, collapse to the newest change per item,
 * write, dead-letter what can never be applied, and name the first record that was not handled.
 * I/O lives in the writer and the dead-letter sink; this class only decides.
 */
public final class Relay implements AutoCloseable {

    private static final int MAX_REASONS = 5;

    private final ChangeDecoder decoder;
    private final SinkWriter writer;
    private final DeadLetterSink deadLetters; // null: nothing is dead-lettered, failures are reported
    private final TtlDeletes ttlDeletes;
    private final Consumer<String> log;

    public Relay(ChangeDecoder decoder, SinkWriter writer, DeadLetterSink deadLetters,
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
        String password = config.passwordSecretArn()
                .map(arn -> SecretsManagerPassword.fetch(arn, config.awsRegion().orElse(null),
                        config.secretsManagerEndpoint().orElse(null)))
                .orElseGet(config::password);
        SinkConnection connection = new SinkConnection(config.jdbcUrl(), config.user(), password,
                config.connectTimeoutSeconds());
        SinkWriter writer = new SinkWriter(connection, null, config.table(), config.tombstoneTable(),
                config.keySchema().orElse(null), config.declaredTypes(), config.writerSettings(), log);
        try {
            writer.warmUp();
        } catch (SQLException e) {
            connection.discard();
            log.accept("sink not reachable at start-up (" + connection.describe() + "), will retry: "
                    + SqlErrors.describe(e));
        }
        DeadLetterSink deadLetters = null;
        if (config.deadLetterBucket().isPresent()) {
            deadLetters = S3DeadLetterSink.fromEnvironment(config.deadLetterBucket().get(), config.deadLetterPrefix());
        } else if (config.deadLetterDirectory().isPresent()) {
            deadLetters = new DirectoryDeadLetterSink(Path.of(config.deadLetterDirectory().get()));
        }
        log.accept("relay ready: " + config
                + (writer.dialect() == null ? "" : ", dialect=" + writer.dialect().name()));
        return new Relay(new ChangeDecoder(), writer, deadLetters, config.ttlDeletes(), log);
    }

    public SinkWriter writer() {
        return writer;
    }

    public BatchResult apply(List<IncomingRecord> records, Deadline deadline) {
        int n = records.size();
        // Per record: the decoded change (null if poison) and whether it is handled.
        ChangeRecord[] changes = new ChangeRecord[n];
        boolean[] handled = new boolean[n];
        boolean[] deadLettered = new boolean[n];
        List<DeadLetter> letters = new ArrayList<>();
        List<Integer> letterIndex = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        int skipped = 0;

        List<ChangeRecord> toWrite = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IncomingRecord r = records.get(i);
            try {
                ChangeRecord c = decoder.decode(r);
                changes[i] = c;
                if (c.eventName() == EventName.REMOVE && c.expiredByTtl() && ttlDeletes == TtlDeletes.KEEP) {
                    handled[i] = true;
                    skipped++;
                } else {
                    toWrite.add(c);
                }
            } catch (InvalidRecordException e) {
                letters.add(new DeadLetter(r, e.getMessage(), DeadLetter.SOURCE_DECODE, null, Instant.now()));
                letterIndex.add(i);
                addReason(reasons, e.getMessage());
            }
        }

        Map<ItemKey, ChangeRecord> newest = ChangeReducer.newestPerItem(toWrite);
        long writeStart = System.nanoTime();
        WriteResult written = newest.isEmpty()
                ? new WriteResult(Map.of(), new WriteResult.Counters())
                : writer.write(newest.values(), deadline);
        BatchTiming timing = BatchTiming.of(Duration.ofNanos(System.nanoTime() - writeStart), newest, written);

        // Map each record to its item's outcome; dead-letter the newest change of items the sink
        // rejected for good (older changes of that item are superseded by it).
        java.util.IdentityHashMap<ChangeRecord, Integer> position = new java.util.IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            if (changes[i] != null) {
                position.put(changes[i], i);
            }
        }
        Set<ItemKey> rejected = new java.util.HashSet<>();
        for (Map.Entry<ItemKey, WriteResult.Outcome> e : written.outcomes().entrySet()) {
            if (e.getValue() instanceof WriteResult.Outcome.Failed f) {
                addReason(reasons, f.reason());
                if (!f.transientFailure()) {
                    rejected.add(e.getKey());
                    ChangeRecord c = newest.get(e.getKey());
                    int i = position.get(c);
                    letters.add(new DeadLetter(records.get(i), f.reason(), DeadLetter.SOURCE_DATABASE, c.eventId(),
                            Instant.now()));
                    letterIndex.add(i);
                }
            }
        }

        boolean lettersStored = false;
        if (!letters.isEmpty() && deadLetters != null) {
            try {
                deadLetters.send(letters);
                lettersStored = true;
                for (int i : letterIndex) {
                    deadLettered[i] = true;
                }
                log.accept("dead-lettered " + letters.size() + " record(s) to " + deadLetters.describe() + ": "
                        + letters.stream().map(l -> l.record().sequenceNumber() + " (" + l.reason() + ")").toList());
            } catch (DeadLetterException e) {
                addReason(reasons, "dead-letter destination failed: " + e.getMessage());
                // Logged on its own too: the reasons list is capped and may already be full.
                log.accept("dead-letter destination failed, " + letters.size()
                        + " record(s) stay unhandled and will be re-delivered: " + e.getMessage());
            }
        }

        int applied = 0;
        int failed = 0;
        Optional<String> firstFailed = Optional.empty();
        for (int i = 0; i < n; i++) {
            if (!handled[i]) {
                ChangeRecord c = changes[i];
                if (c == null) {
                    handled[i] = deadLettered[i];
                } else if (!newest.containsKey(c.itemKey())) {
                    handled[i] = true; // cannot happen: every written change has an item
                } else {
                    WriteResult.Outcome o = written.outcomes().get(c.itemKey());
                    if (o instanceof WriteResult.Outcome.Applied) {
                        handled[i] = true;
                        applied++;
                    } else if (rejected.contains(c.itemKey())) {
                        handled[i] = lettersStored;
                    }
                }
            }
            if (!handled[i]) {
                failed++;
                if (firstFailed.isEmpty()) {
                    firstFailed = Optional.of(records.get(i).sequenceNumber());
                }
            }
        }
        int lettered = 0;
        for (boolean b : deadLettered) {
            lettered += b ? 1 : 0;
        }
        return new BatchResult(n, applied, skipped, lettered, failed, firstFailed, List.copyOf(reasons),
                written.counters(), timing);
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
