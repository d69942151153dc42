package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.cdcrelay.relay.IncomingRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the payload of one Kinesis record (UTF-8 JSON of one "Kinesis Data Streams for
 * DynamoDB" change record) into a {@link ChangeRecord}, checking it against DynamoDB's rules.
 *
 * <p>Thread-safe and stateless: make one per Lambda container and share it. It uses jackson-core's
 * streaming parser only (no data binding, no reflection, no regex).
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

    private static final String TTL_IDENTITY_TYPE = "Service";
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";
    private static final String EVENT_SOURCE = "aws:dynamodb";

    public ChangeDecoder() {
    }

    /**
     * Decodes one record.
     *
     * @throws InvalidRecordException when the payload is not a valid change record; the message
     *                                names the record, the place and the problem, never a value
     */
    public ChangeRecord decode(IncomingRecord record) throws InvalidRecordException {
        final String seq = record.sequenceNumber();
        if (!isSequenceNumber(seq)) {
            throw new InvalidRecordException("record " + shorten(seq)
                    + ": sequence number must be 1.." + ChangeVersion.SEQUENCE_WIDTH + " decimal digits");
        }
        final byte[] data = record.data();
        if (data.length > MAX_RECORD_BYTES) {
            throw new InvalidRecordException("record " + seq + ": " + data.length
                    + " bytes, more than the limit of " + MAX_RECORD_BYTES);
        }
        if (data.length == 0) {
            throw new InvalidRecordException("record " + seq + ": empty payload");
        }
        int bad = Utf8.firstInvalid(data);
        if (bad >= 0) {
            throw new InvalidRecordException("record " + seq + ": invalid UTF-8 at byte " + bad);
        }
        if (data[0] == 0 || (data.length > 1 && data[1] == 0)) {
            // Jackson would take this for UTF-16 or UTF-32 and decode it; the payload is UTF-8.
            throw new InvalidRecordException("record " + seq + ": not UTF-8 JSON (NUL byte at the start)");
        }
        try (JsonParser p = JSON.createParser(data)) {
            return readRecord(p, seq);
        } catch (IOException | RuntimeException e) {
            // No cause: jackson's messages quote the input, and causes end up in logs too.
            throw new InvalidRecordException(DecodeFailure.wrap(e).message(seq));
        }
    }

    // ---------------------------------------------------------------- envelope

    private static ChangeRecord readRecord(JsonParser p, String seq) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("the payload is not a JSON object");
        }
        EventName eventName = null;
        String eventId = null;
        String tableName = null;
        boolean ttlIdentity = false;
        Envelope d = null;
        int seen = 0;
        NameSet others = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            try {
                switch (name) {
                    case "eventName" -> {
                        seen = once(seen, 1);
                        eventName = eventName(p, t);
                    }
                    case "eventID" -> {
                        seen = once(seen, 2);
                        eventId = optionalString(p, t);
                    }
                    case "tableName" -> {
                        seen = once(seen, 4);
                        tableName = optionalString(p, t);
                    }
                    case "awsRegion" -> {
                        seen = once(seen, 8);
                        checkOptionalString(t);
                    }
                    case "recordFormat" -> {
                        seen = once(seen, 16);
                        checkOptionalString(t);
                    }
                    case "eventSource" -> {
                        seen = once(seen, 32);
                        String source = optionalString(p, t);
                        if (source != null && !source.equals(EVENT_SOURCE)) {
                            throw DecodeFailure.of("must be " + EVENT_SOURCE);
                        }
                    }
                    case "userIdentity" -> {
                        seen = once(seen, 64);
                        ttlIdentity = isTtlIdentity(p, t);
                    }
                    case "dynamodb" -> {
                        seen = once(seen, 128);
                        d = envelope(p, t);
                    }
                    default -> {
                        others = NameSet.addTo(others, name);
                        skip(p, t);
                    }
                }
            } catch (IOException | RuntimeException e) {
                DecodeFailure f = DecodeFailure.wrap(e);
                // Keys, NewImage, OldImage and the time fields name themselves.
                throw name.equals("dynamodb") && f.hasPath() ? f : f.atName(knownOrHidden(name));
            }
        }
        JsonToken after;
        try {
            after = p.nextToken();
        } catch (IOException | RuntimeException e) {
            after = JsonToken.NOT_AVAILABLE;
        }
        if (after != null) {
            throw DecodeFailure.of("unexpected content after the JSON object");
        }

        if (eventName == null) {
            throw DecodeFailure.of("eventName is missing");
        }
        if (d == null) {
            throw DecodeFailure.of("dynamodb is missing");
        }
        if (!d.hasTime) {
            throw DecodeFailure.of("dynamodb.ApproximateCreationDateTime is missing");
        }
        if (d.keys == null) {
            throw DecodeFailure.of("dynamodb.Keys is missing");
        }
        if (d.keys.isEmpty()) {
            throw DecodeFailure.of("dynamodb.Keys is empty");
        }
        if (eventName != EventName.REMOVE && d.newImage == null) {
            throw DecodeFailure.of("dynamodb.NewImage is missing (required for " + eventName + ")");
        }
        long micros;
        if (d.micro) {
            micros = d.time;
        } else {
            if (d.time > Long.MAX_VALUE / 1000) {
                throw DecodeFailure.of("dynamodb.ApproximateCreationDateTime is out of range");
            }
            micros = d.time * 1000;
        }
        boolean ttl = eventName == EventName.REMOVE && ttlIdentity;
        return new ChangeRecord(seq, eventId, eventName, ttl, new ChangeVersion(micros, seq), d.keys,
                eventName == EventName.REMOVE ? null : d.newImage, tableName);
    }

    /** What the {@code dynamodb} object holds. */
    private static final class Envelope {
        boolean hasTime;
        long time;
        boolean micro;
        Map<String, DynamoValue> keys;
        Map<String, DynamoValue> newImage;
    }

    private static Envelope envelope(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("must be an object");
        }
        Envelope d = new Envelope();
        int seen = 0;
        NameSet others = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "Keys" -> {
                    seen = once(seen, 1, name);
                    d.keys = item(p, v, true, true, name);
                }
                case "NewImage" -> {
                    seen = once(seen, 2, name);
                    d.newImage = item(p, v, true, false, name);
                }
                case "OldImage" -> {
                    seen = once(seen, 4, name);
                    item(p, v, false, false, name);
                }
                case "ApproximateCreationDateTime" -> {
                    seen = once(seen, 8, name);
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        throw DecodeFailure.of("must be an integer").atName(name);
                    }
                    JsonParser.NumberType nt = p.getNumberType();
                    long time = nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG
                            ? p.getLongValue() : -1;
                    if (time < 0) {
                        throw DecodeFailure.of("must be a non-negative 64-bit integer").atName(name);
                    }
                    d.time = time;
                    d.hasTime = true;
                }
                case "ApproximateCreationDateTimePrecision" -> {
                    seen = once(seen, 16, name);
                    if (v == JsonToken.VALUE_STRING) {
                        String unit = p.getText();
                        if (unit.equals("MICROSECOND")) {
                            d.micro = true;
                        } else if (unit.equals("MILLISECOND")) {
                            d.micro = false;
                        } else {
                            throw DecodeFailure.of("must be MILLISECOND or MICROSECOND").atName(name);
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw DecodeFailure.of("must be MILLISECOND or MICROSECOND").atName(name);
                    }
                }
                default -> {
                    try {
                        others = NameSet.addTo(others, name);
                        skip(p, v);
                    } catch (IOException | RuntimeException e) {
                        throw DecodeFailure.wrap(e).atName(knownOrHidden(name));
                    }
                }
            }
        }
        return d;
    }

    /** Reads userIdentity (null or an object): is it DynamoDB's own TTL service identity? */
    private static boolean isTtlIdentity(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("must be an object or null");
        }
        String type = null;
        String principal = null;
        int seen = 0;
        NameSet others = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken ft = p.nextToken();
            try {
                switch (field) {
                    case "type" -> {
                        seen = once(seen, 1);
                        type = optionalString(p, ft);
                    }
                    case "principalId" -> {
                        seen = once(seen, 2);
                        principal = optionalString(p, ft);
                    }
                    default -> {
                        others = NameSet.addTo(others, field);
                        skip(p, ft);
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw DecodeFailure.wrap(e).atName(field.equals("type") || field.equals("principalId")
                        ? field : DecodeFailure.UNKNOWN_FIELD);
            }
        }
        return TTL_IDENTITY_TYPE.equals(type) && TTL_PRINCIPAL.equals(principal);
    }

    private static EventName eventName(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "INSERT":
                    return EventName.INSERT;
                case "MODIFY":
                    return EventName.MODIFY;
                case "REMOVE":
                    return EventName.REMOVE;
                default:
                    break;
            }
        }
        throw DecodeFailure.of("must be INSERT, MODIFY or REMOVE");
    }

    private static String optionalString(JsonParser p, JsonToken t) throws IOException {
        checkOptionalString(t);
        return t == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** Type check only: the string itself is skipped without being built. */
    private static void checkOptionalString(JsonToken t) {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
            throw DecodeFailure.of("must be a string or null");
        }
    }

    // ---------------------------------------------------------------- attribute values

    /**
     * An item (Keys, NewImage, OldImage): attribute name to value. Returns null when
     * {@code keep} is false (checked only). Failures carry the section name and the path.
     */
    private static Map<String, DynamoValue> item(JsonParser p, JsonToken t, boolean keep, boolean keys,
                                                 String section) throws IOException {
        try {
            if (t != JsonToken.START_OBJECT) {
                throw DecodeFailure.of("must be an object of attributes");
            }
            Map<String, DynamoValue> m = attributes(p, 0, keep);
            if (keys) {
                for (Map.Entry<String, DynamoValue> e : m.entrySet()) {
                    DynamoValue v = e.getValue();
                    if (!(v instanceof DynamoValue.Str || v instanceof DynamoValue.Num
                            || v instanceof DynamoValue.Bin)) {
                        throw DecodeFailure.of("key attribute must be of type S, N or B").atName(e.getKey());
                    }
                }
            }
            return m;
        } catch (IOException | RuntimeException e) {
            throw DecodeFailure.wrap(e).atName(section);
        }
    }

    /** The entries of an object of attributes; the parser is on its START_OBJECT. */
    private static Map<String, DynamoValue> attributes(JsonParser p, int level, boolean keep) throws IOException {
        Map<String, DynamoValue> m = keep ? new LinkedHashMap<>() : null;
        NameSet names = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();   // a failure here is reported without the name
            if (name.isEmpty()) {
                throw DecodeFailure.of("empty attribute name");
            }
            try {
                if (!keep) {
                    names = NameSet.addTo(names, name);
                }
                DynamoValue v = value(p, t, level, keep);
                if (keep && m.put(name, v) != null) {
                    throw DecodeFailure.of(DUPLICATE);
                }
            } catch (IOException | RuntimeException e) {
                throw DecodeFailure.wrap(e).atName(name);
            }
        }
        return keep ? Collections.unmodifiableMap(m) : null;
    }

    /**
     * One attribute value object, e.g. {@code {"N":"1.5"}}; the parser is on its first token.
     * {@code level} is the number of M/L levels around it.
     */
    private static DynamoValue value(JsonParser p, JsonToken t, int level, boolean keep) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw DecodeFailure.of("attribute value must be an object with one type key");
        }
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw DecodeFailure.of("attribute value has no type key");
        }
        String type = p.currentName();
        JsonToken v = p.nextToken();
        DynamoValue result;
        switch (type) {
            case "S" -> {
                if (v != JsonToken.VALUE_STRING) {
                    throw DecodeFailure.of("S must be a JSON string");
                }
                result = keep ? new DynamoValue.Str(p.getText()) : null;
            }
            case "N" -> {
                if (v != JsonToken.VALUE_STRING) {
                    throw DecodeFailure.of("N must be a JSON string");
                }
                BigDecimal n = number(p, keep);
                result = keep ? new DynamoValue.Num(n) : null;
            }
            case "B" -> {
                if (v != JsonToken.VALUE_STRING) {
                    throw DecodeFailure.of("B must be a JSON string");
                }
                String text = p.getText();
                String problem = Base64Text.problem(text);
                if (problem != null) {
                    throw DecodeFailure.of(problem);
                }
                result = keep ? new DynamoValue.Bin(text) : null;
            }
            case "BOOL" -> {
                if (v == JsonToken.VALUE_TRUE) {
                    result = DynamoValue.Bool.TRUE;
                } else if (v == JsonToken.VALUE_FALSE) {
                    result = DynamoValue.Bool.FALSE;
                } else {
                    throw DecodeFailure.of("BOOL must be a JSON boolean");
                }
            }
            case "NULL" -> {
                if (v != JsonToken.VALUE_TRUE) {
                    throw DecodeFailure.of("NULL must be true");
                }
                result = DynamoValue.Null.INSTANCE;
            }
            case "M" -> {
                if (v != JsonToken.START_OBJECT) {
                    throw DecodeFailure.of("M must be a JSON object");
                }
                int inner = deeper(level);
                Map<String, DynamoValue> m = attributes(p, inner, keep);
                result = keep ? new DynamoValue.MapValue(m) : null;
            }
            case "L" -> {
                if (v != JsonToken.START_ARRAY) {
                    throw DecodeFailure.of("L must be a JSON array");
                }
                int inner = deeper(level);
                List<DynamoValue> list = keep ? new ArrayList<>() : null;
                int index = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    try {
                        DynamoValue element = value(p, e, inner, keep);
                        if (keep) {
                            list.add(element);
                        }
                    } catch (IOException | RuntimeException ex) {
                        throw DecodeFailure.wrap(ex).atIndex(index);
                    }
                    index++;
                }
                result = keep ? new DynamoValue.ListValue(Collections.unmodifiableList(list)) : null;
            }
            case "SS", "NS", "BS" -> result = set(p, v, type, keep);
            default -> throw DecodeFailure.of("unknown type descriptor (expected S, N, B, BOOL, NULL, M, L, SS, NS or BS)");
        }
        JsonToken end = p.nextToken();
        if (end != JsonToken.END_OBJECT) {
            throw DecodeFailure.of(end == JsonToken.FIELD_NAME
                    ? "attribute value has more than one type key"
                    : "attribute value is not closed");
        }
        return result;
    }

    /** The current string token as a DynamoDB number, read straight from the parser's buffer. */
    private static BigDecimal number(JsonParser p, boolean keep) throws IOException {
        return DynamoNumbers.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), keep);
    }

    private static int deeper(int level) {
        if (level >= MAX_DOCUMENT_LEVELS) {
            throw DecodeFailure.of("M/L nested deeper than " + MAX_DOCUMENT_LEVELS + " levels");
        }
        return level + 1;
    }

    private static DynamoValue set(JsonParser p, JsonToken t, String type, boolean keep) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw DecodeFailure.of(type + " must be a JSON array");
        }
        List<Object> values = keep ? new ArrayList<>() : null;
        int index = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            try {
                if (e != JsonToken.VALUE_STRING) {
                    throw DecodeFailure.of(type + " elements must be JSON strings");
                }
                Object element = null;
                switch (type) {
                    case "NS" -> element = number(p, keep);
                    case "BS" -> {
                        String text = p.getText();
                        String problem = Base64Text.problem(text);
                        if (problem != null) {
                            throw DecodeFailure.of(problem);
                        }
                        element = text;
                    }
                    default -> element = keep ? p.getText() : null;
                }
                if (keep) {
                    values.add(element);
                }
            } catch (IOException | RuntimeException ex) {
                throw DecodeFailure.wrap(ex).atIndex(index);
            }
            index++;
        }
        if (index == 0) {
            throw DecodeFailure.of("empty " + type + " (DynamoDB sets are never empty)");
        }
        if (!keep) {
            return null;
        }
        return switch (type) {
            case "SS" -> new DynamoValue.StrSet(Collections.unmodifiableList(cast(values)));
            case "NS" -> new DynamoValue.NumSet(Collections.unmodifiableList(cast(values)));
            default -> new DynamoValue.BinSet(Collections.unmodifiableList(cast(values)));
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<Object> list) {
        return (List<T>) (List<?>) list;
    }

    // ---------------------------------------------------------------- helpers

    private static final String DUPLICATE = "duplicate key";

    /** Marks a known field as seen; a second time is a duplicate key. */
    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw DecodeFailure.of(DUPLICATE);
        }
        return seen | bit;
    }

    private static int once(int seen, int bit, String name) {
        if ((seen & bit) != 0) {
            throw DecodeFailure.of(DUPLICATE).atName(name);
        }
        return seen | bit;
    }

    /** Skips an unknown value, with jackson's duplicate detection on for the skipped part. */
    private static void skip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            try {
                p.skipChildren();
            } finally {
                p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
        }
    }

    /** Names seen in one object, for duplicate detection where no map is built. */
    private static final class NameSet {
        private String[] small = new String[8];
        private int size;
        private java.util.HashSet<String> large;

        /** Adds {@code name} to {@code set} (created when null); a name already there is a duplicate. */
        static NameSet addTo(NameSet set, String name) {
            NameSet s = set == null ? new NameSet() : set;
            if (!s.add(name)) {
                throw DecodeFailure.of(DUPLICATE);
            }
            return s;
        }

        private boolean add(String name) {
            if (large != null) {
                return large.add(name);
            }
            for (int i = 0; i < size; i++) {
                if (small[i].equals(name)) {
                    return false;
                }
            }
            if (size < small.length) {
                small[size++] = name;
                return true;
            }
            large = new java.util.HashSet<>(32);
            for (int i = 0; i < size; i++) {
                large.add(small[i]);
            }
            small = null;
            return large.add(name);
        }
    }

    private static final java.util.Set<String> KNOWN_FIELDS = java.util.Set.of(
            "eventName", "eventID", "eventSource", "tableName", "awsRegion", "recordFormat",
            "userIdentity", "dynamodb", "eventVersion", "SizeBytes", "StreamViewType", "SequenceNumber");

    /**
     * Names of skipped (unknown) fields may be anything, even a value shifted into a name by a
     * corrupted record: only well-known names are shown.
     */
    private static String knownOrHidden(String name) {
        return KNOWN_FIELDS.contains(name) ? name : DecodeFailure.UNKNOWN_FIELD;
    }

    private static boolean isSequenceNumber(String s) {
        int n = s.length();
        if (n == 0 || n > ChangeVersion.SEQUENCE_WIDTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.append(s.length() > 40 ? "...'" : "'").toString();
    }
}
