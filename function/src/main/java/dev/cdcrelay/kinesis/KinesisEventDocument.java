package dev.cdcrelay.kinesis;

import java.util.List;
import java.util.Optional;

/**
 * One parsed Lambda Kinesis event document: its records and, when the caller asked for one and the
 * document has it, the extra top-level section (a dead letter's {@code deadLetter}).
 */
public record KinesisEventDocument<T>(List<IncomingRecord> records, Optional<T> section) {
    public KinesisEventDocument {
        records = List.copyOf(records);
    }
}
