package dev.cdcrelay.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventDocument;
import dev.cdcrelay.kinesis.KinesisEventReader;
import dev.cdcrelay.kinesis.MalformedEventException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * One dead letter as one JSON document. The document is a Lambda Kinesis event with a single
 * record plus a {@code deadLetter} section, so the replay command (or Lambda's own test tooling)
 * takes it as it is:
 *
 * <pre>{@code
 * {"Records":[{"eventSource":"aws:kinesis","eventVersion":"1.0","eventName":"aws:kinesis:record",
 *   "kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"...","sequenceNumber":"...",
 *              "data":"<base64 of the raw payload>","approximateArrivalTimestamp":1720742302.233}}],
 *  "deadLetter":{"reason":"...","source":"decode","eventId":null,"failedAt":"2024-07-12T01:17:43.101Z"}}
 * }</pre>
 */
public final class DeadLetterCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterCodec() {
    }

    /** The document for one letter, UTF-8. */
    public static byte[] write(DeadLetter letter) {
        IncomingRecord record = letter.record();
        // base64 grows the payload by 4/3; the rest of the document is small.
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.data().length * 4 / 3 + 512 + letter.reason().length());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("Records");
            json.writeStartObject();
            json.writeStringField("eventSource", "aws:kinesis");
            json.writeStringField("eventVersion", "1.0");
            json.writeStringField("eventName", "aws:kinesis:record");
            json.writeObjectFieldStart("kinesis");
            json.writeStringField("kinesisSchemaVersion", "1.0");
            json.writeStringField("partitionKey", record.partitionKey());
            json.writeStringField("sequenceNumber", record.sequenceNumber());
            json.writeStringField("data", Base64.getEncoder().encodeToString(record.data()));
            // Lambda writes epoch seconds with a fraction; BigDecimal keeps the millis exact.
            json.writeFieldName("approximateArrivalTimestamp");
            json.writeNumber(BigDecimal.valueOf(record.arrivalEpochMillis(), 3));
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
            json.writeObjectFieldStart(DeadLetterDetails.SECTION);
            json.writeStringField("reason", letter.reason());
            json.writeStringField("source", letter.source());
            json.writeStringField("eventId", letter.eventId());
            json.writeStringField("failedAt", letter.failedAt().toString());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e); // cannot happen
        }
        return out.toByteArray();
    }

    /** Reads back what {@link #write} wrote: exactly one record and a deadLetter section. */
    public static DeadLetter read(byte[] document) throws MalformedEventException {
        KinesisEventDocument<DeadLetterDetails> parsed =
                KinesisEventReader.readOneDocument(document, DeadLetterDetails.SECTION, DeadLetterDetails::read);
        List<IncomingRecord> records = parsed.records();
        if (records.size() != 1) {
            throw new MalformedEventException("a dead-letter document holds exactly one record, this one has "
                    + records.size());
        }
        DeadLetterDetails details = parsed.section()
                .orElseThrow(() -> new MalformedEventException(DeadLetterDetails.SECTION + " is missing"));
        return new DeadLetter(records.get(0), details.reason(), details.source(), details.eventId(),
                details.failedAt());
    }
}
