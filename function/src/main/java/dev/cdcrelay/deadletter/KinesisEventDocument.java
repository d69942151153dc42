package dev.cdcrelay.deadletter;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.util.List;

/** One parsed Lambda Kinesis event document; {@code deadLetter} is null when not asked for or absent. */
record KinesisEventDocument(List<IncomingRecord> records, DeadLetterDetails deadLetter) {
}
