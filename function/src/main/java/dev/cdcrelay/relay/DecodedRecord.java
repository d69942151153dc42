package dev.cdcrelay.relay;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.kinesis.IncomingRecord;

import java.util.Objects;

/**
 * A record with the outcome of decoding it: its change, or why it is not one. Decoding is the
 * batch's CPU-bound step and needs nothing of the sink, so a caller with records arriving over
 * time (the replay command) can decode them on another thread while the chunk before is written,
 * then hand them to {@link Relay#applyDecoded}.
 *
 * @param change  the change, when the record decoded; null otherwise
 * @param problem why the record is not a valid change (the dead letter's reason); null when it is
 */
public record DecodedRecord(IncomingRecord record, ChangeRecord change, String problem) {

    public DecodedRecord {
        if ((change == null) == (problem == null)) {
            throw new IllegalArgumentException("a decoded record holds either a change or a problem");
        }
    }

    /** Decodes one record; {@link ChangeDecoder} may be shared by threads (its caches are per thread). */
    public static DecodedRecord of(IncomingRecord record, ChangeDecoder decoder) {
        try {
            return new DecodedRecord(record, decoder.decode(record), null);
        } catch (InvalidRecordException e) {
            return new DecodedRecord(record, null, Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
    }
}
