package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.cdcrelay.kinesis.IncomingRecord;

import java.io.IOException;
import java.util.Optional;

/**
 * Decodes the payload of one Kinesis record (UTF-8 JSON of one "Kinesis Data Streams for
 * DynamoDB" change record) into a {@link ChangeRecord}, checking it against DynamoDB's rules.
 *
 * <p>Thread-safe and stateless (beyond a per-thread cache of attribute names): make one per Lambda
 * container and share it. Records in the compact shape DynamoDB sends are read by
 * {@link CompactRecordReader}; every other record, and every failure, by jackson-core's streaming
 * parser and {@link EnvelopeReader} (no data binding, no reflection, no regex).
 *
 * <h2>What is read</h2>
 * <ul>
 *   <li>{@code eventName} (required: INSERT, MODIFY or REMOVE), {@code eventID}, {@code tableName},
 *       {@code eventSource} (when present it must be {@code aws:dynamodb}), {@code awsRegion},
 *       {@code recordFormat} (strings or null), {@code userIdentity} (null or an object).</li>
 *   <li>{@code dynamodb.ApproximateCreationDateTime} (required, a non-negative integer) in the unit
 *       given by {@code ApproximateCreationDateTimePrecision}: {@code MILLISECOND} (the default when
 *       absent or null) or {@code MICROSECOND}; converted to microseconds for
 *       {@link ChangeVersion}, whose tie-break is the Kinesis sequence number.</li>
 *   <li>{@code Keys} (required, at least one attribute, each of type S, N or B); {@code NewImage}
 *       (required for INSERT and MODIFY, dropped for REMOVE); {@code OldImage} (optional; checked
 *       like every image, then dropped).</li>
 *   <li>A REMOVE whose {@code userIdentity} is {@code {"type":"Service","principalId":
 *       "dynamodb.amazonaws.com"}} was made by TTL: {@link ChangeRecord#expiredByTtl()}.</li>
 *   <li>Any other field, at any level outside attribute values, is skipped (forward
 *       compatibility). Field order does not matter.</li>
 * </ul>
 *
 * <h2>Attribute values</h2>
 * Each value is an object with exactly one type key: S (string), N (a string; see
 * {@link DynamoNumbers} for the rules), B (base64 text, see {@link Base64Text}; kept as text),
 * BOOL (a JSON boolean), NULL (must be {@code true}), M, L, SS, NS, BS (sets must be non-empty;
 * duplicates are not checked). Maps keep the record's attribute order; all collections are
 * unmodifiable.
 *
 * <p><b>Nesting</b>: every M and every L is one level; a top-level attribute whose value is an M
 * or L is level 1, a map inside it level 2, and so on. Up to {@value #MAX_DOCUMENT_LEVELS} levels
 * are accepted (DynamoDB's limit), more are rejected.
 *
 * <h2>Hostile input</h2>
 * Records longer than {@value #MAX_RECORD_BYTES} bytes are rejected before parsing (jackson
 * enforces {@code maxDocumentLength} only for streamed input, not for a byte array). The bytes
 * must be strict UTF-8 (checked up front: jackson accepts overlong forms and would auto-detect
 * UTF-16/32). The parser's {@link StreamReadConstraints} cap strings at
 * {@value #MAX_STRING_CHARS} characters (checked on strings that are built; skipped ones are
 * bounded by the record limit), names at {@value #MAX_NAME_BYTES} bytes and JSON nesting at
 * {@value #MAX_JSON_DEPTH} (32 attribute levels take 2 each, plus the envelope). Duplicate keys
 * (anywhere, also in skipped fields), anything after the root object, truncation and every parser
 * failure end in {@link InvalidRecordException}; the recursion is bounded by the 32 levels, skipping
 * is iterative, so nothing can overflow the stack.
 *
 * <p>Messages name the record (its sequence number), where (e.g.
 * {@code NewImage.sensor.readings[3]}) and what is wrong, and never contain attribute values or
 * any other part of the payload.
 */
public final class ChangeDecoder {

    /** Largest payload accepted (Kinesis records are at most 10 MiB; an item at most 400 KB). */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;
    /** Longest JSON string (in chars) accepted: ~4x the longest a 400 KB item holds (base64 of 400 KB). */
    public static final int MAX_STRING_CHARS = 2 * 1024 * 1024;
    /** Longest JSON name accepted: DynamoDB attribute names are at most 64 KB. */
    public static final int MAX_NAME_BYTES = 128 * 1024;
    /** Deepest JSON nesting accepted (32 attribute levels take 2 each, plus the envelope). */
    public static final int MAX_JSON_DEPTH = 100;
    /** DynamoDB's nesting limit for M and L (see the class comment for how levels count). */
    public static final int MAX_DOCUMENT_LEVELS = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_RECORD_BYTES)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_NAME_BYTES)
                    .maxNestingDepth(MAX_JSON_DEPTH)
                    .maxNumberLength(100)
                    .build())
            // Duplicate keys are found by the decoder itself (cheaper than jackson's detector on
            // every object); jackson's is switched on only while skipping unknown content.
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Attribute names are user data: never String.intern() them.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    public ChangeDecoder() {
    }

    /**
     * Decodes one record.
     *
     * @throws InvalidRecordException when the payload is not a valid change record; the message
     *                                names the record, the place and the problem, never a value
     */
    public ChangeRecord decode(IncomingRecord record) throws InvalidRecordException {
        boolean ascii = PayloadCheck.check(record, MAX_RECORD_BYTES);
        String seq = record.sequenceNumber();
        // The compact reader takes the records DynamoDB sends; anything else, and every failure,
        // is read and worded by jackson and EnvelopeReader (see CompactRecordReader).
        Optional<ChangeRecord> compact = CompactRecordReader.read(record.data(), seq, ascii);
        if (compact.isPresent()) {
            return compact.get();
        }
        return readWithJackson(record.data(), seq);
    }

    /** The reader that decides every rule and message; the payload passed {@link PayloadCheck}. */
    static ChangeRecord readWithJackson(byte[] data, String seq) throws InvalidRecordException {
        try (JsonParser p = JSON.createParser(data)) {
            return EnvelopeReader.read(p, seq);
        } catch (IOException | RuntimeException e) {
            // No cause: jackson's messages quote the input, and causes end up in logs too.
            throw new InvalidRecordException(DecodeFailure.wrap(e).message(seq));
        }
    }
}
