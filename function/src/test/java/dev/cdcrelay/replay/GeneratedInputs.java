package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Large replay inputs written without holding them in memory (a thousand records at a time), for
 * the streaming test and the replay benchmark:
 * <pre>{@code
 * KinesisRecords sequence = new KinesisRecords();
 * GeneratedInputs.eventDocument(file, 0, 100_000, n -> ReplayFixtures.change("big", n), sequence);
 * GeneratedInputs.ndjson(other, 0, 100_000, n -> ...);
 * }</pre>
 */
public final class GeneratedInputs {

    private static final int BATCH = 1_000;
    private static final String DOCUMENT_START = "{\"Records\":[";

    private GeneratedInputs() {
    }

    /**
     * One Lambda Kinesis event document holding the changes {@code first} to {@code first+count-1}
     * (a single {@code Records} array however many there are). Returns the file's size in bytes.
     */
    public static long eventDocument(Path file, long first, long count, LongFunction<ChangeJson> change,
                                     KinesisRecords sequence) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(DOCUMENT_START);
            for (long from = first; from < first + count; from += BATCH) {
                List<IncomingRecord> records = new ArrayList<>(BATCH);
                for (long n = from; n < Math.min(first + count, from + BATCH); n++) {
                    records.add(sequence.next(change.apply(n)));
                }
                String document = KinesisRecords.lambdaEventJson(records);
                // The records of this batch without the document around them: one document in all.
                out.write(from == first ? "" : ",");
                out.write(document, DOCUMENT_START.length(), document.length() - DOCUMENT_START.length() - 2);
            }
            out.write("]}");
        }
        return Files.size(file);
    }

    /** NDJSON: one change record per line, {@code first} to {@code first+count-1}. Returns the size in bytes. */
    public static long ndjson(Path file, long first, long count, LongFunction<ChangeJson> change) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (long n = first; n < first + count; n++) {
                out.write(change.apply(n).toJson());
                out.write('\n');
            }
        }
        return Files.size(file);
    }
}
