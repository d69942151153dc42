package dev.cdcrelay.testing;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds one "Kinesis Data Streams for DynamoDB" change record as JSON, in exactly the shape and
 * field order AWS sends it (REFERENCE.md section 1): compact, UTF-8, {@code userIdentity} null
 * unless TTL, {@code SizeBytes} estimated.
 *
 * <pre>{@code
 * byte[] insert = ChangeJson.insert()
 *         .key("device", "foo").key("timestamp", "2024-07-12T01:17:42")
 *         .set("temperature", new BigDecimal("42.42"))     // or 42.42, "text", true, null, Map, List, byte[]
 *         .micros(1720742302233719L)
 *         .toBytes();
 * byte[] ttlDelete = ChangeJson.remove().key("id", 7).old("payload", "x").ttl().toBytes();
 * }</pre>
 *
 * Values follow {@link DynamoJson}: Java values are mapped to DynamoDB types, and
 * {@link DynamoJson#typed(String)} passes a typed fragment through as is (for invalid input).
 *
 * <p>Images: key attributes come first in NewImage and OldImage, then the {@link #set} (NewImage)
 * and {@link #old} (OldImage) attributes. INSERT writes NewImage, MODIFY both, REMOVE OldImage;
 * {@link #withoutNewImage()}, {@link #withoutOldImage()}, {@link #withOldImage()} and the
 * {@code ...Json(String)} methods override that.
 *
 * <p>Defaults: time {@value #DEFAULT_MICROS} µs with precision MICROSECOND, table
 * {@value #DEFAULT_TABLE}, region {@value #DEFAULT_REGION}, and a deterministic eventID derived
 * from the content. Builders are mutable and not thread-safe; {@link #toJson()} can be called
 * any number of times.
 */
public final class ChangeJson {

    public static final long DEFAULT_MICROS = 1720742302233719L;
    public static final String DEFAULT_TABLE = "demo-source";
    public static final String DEFAULT_REGION = "eu-central-1";
    public static final String MICROSECOND = "MICROSECOND";
    public static final String MILLISECOND = "MILLISECOND";
    /** The identity DynamoDB puts on deletes made by TTL. */
    public static final String TTL_IDENTITY = "{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}";

    private final String eventName;
    private final Map<String, Object> keys = new LinkedHashMap<>();
    private final Map<String, Object> newAttributes = new LinkedHashMap<>();
    private final Map<String, Object> oldAttributes = new LinkedHashMap<>();
    private boolean writeNewImage;
    private boolean writeOldImage;
    private String keysJson;
    private String newImageJson;
    private String oldImageJson;
    private long time = DEFAULT_MICROS;
    private String precision = MICROSECOND;
    private String eventId;
    private String tableName = DEFAULT_TABLE;
    private String awsRegion = DEFAULT_REGION;
    private String userIdentityJson = "null";
    private Long sizeBytes;
    private final Map<String, String> extraFields = new LinkedHashMap<>();
    private final Map<String, String> extraDynamodbFields = new LinkedHashMap<>();

    private ChangeJson(String eventName) {
        this.eventName = eventName;
        this.writeNewImage = !eventName.equals("REMOVE");
        this.writeOldImage = !eventName.equals("INSERT");
    }

    public static ChangeJson insert() {
        return new ChangeJson("INSERT");
    }

    public static ChangeJson modify() {
        return new ChangeJson("MODIFY");
    }

    public static ChangeJson remove() {
        return new ChangeJson("REMOVE");
    }

    public static ChangeJson of(EventName eventName) {
        return new ChangeJson(eventName.name());
    }

    /** Any eventName text, even an invalid one (images as for MODIFY). */
    public static ChangeJson withEventName(String eventName) {
        return new ChangeJson(eventName);
    }

    // ------------------------------------------------------------------ attributes

    /** A key attribute: written to Keys and at the front of every image. */
    public ChangeJson key(String name, Object value) {
        keys.put(name, value);
        return this;
    }

    /** A non-key attribute of NewImage. */
    public ChangeJson set(String name, Object value) {
        newAttributes.put(name, value);
        return this;
    }

    /** A non-key attribute of OldImage. */
    public ChangeJson old(String name, Object value) {
        oldAttributes.put(name, value);
        return this;
    }

    /** Replaces Keys with this raw JSON (any JSON text, even invalid). */
    public ChangeJson keysJson(String json) {
        this.keysJson = json;
        return this;
    }

    /** Replaces NewImage with this raw JSON, and writes it whatever the event. */
    public ChangeJson newImageJson(String json) {
        this.newImageJson = json;
        this.writeNewImage = true;
        return this;
    }

    /** Replaces OldImage with this raw JSON, and writes it whatever the event. */
    public ChangeJson oldImageJson(String json) {
        this.oldImageJson = json;
        this.writeOldImage = true;
        return this;
    }

    public ChangeJson withoutNewImage() {
        this.writeNewImage = false;
        return this;
    }

    public ChangeJson withoutOldImage() {
        this.writeOldImage = false;
        return this;
    }

    public ChangeJson withOldImage() {
        this.writeOldImage = true;
        return this;
    }

    // ------------------------------------------------------------------ time

    /** ApproximateCreationDateTime in microseconds, precision MICROSECOND. */
    public ChangeJson micros(long micros) {
        return time(micros, MICROSECOND);
    }

    /** ApproximateCreationDateTime in milliseconds, precision MILLISECOND. */
    public ChangeJson millis(long millis) {
        return time(millis, MILLISECOND);
    }

    /** The instant in microseconds (precision MICROSECOND). */
    public ChangeJson at(Instant instant) {
        return micros(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000));
    }

    /**
     * ApproximateCreationDateTime as given, with this precision text; {@code null} leaves the
     * precision field out (the decoder then assumes MILLISECOND).
     */
    public ChangeJson time(long value, String precision) {
        this.time = value;
        this.precision = precision;
        return this;
    }

    /** The change time in microseconds as the decoder will compute it. */
    public long expectedMicros() {
        return MICROSECOND.equals(precision) ? time : Math.multiplyExact(time, 1000L);
    }

    // ------------------------------------------------------------------ envelope

    /** Marks the record as a TTL delete (service identity). Meant for REMOVE. */
    public ChangeJson ttl() {
        this.userIdentityJson = TTL_IDENTITY;
        return this;
    }

    /** Raw JSON for userIdentity ({@code "null"} by default). */
    public ChangeJson userIdentityJson(String json) {
        this.userIdentityJson = json;
        return this;
    }

    public ChangeJson eventId(String eventId) {
        this.eventId = eventId;
        return this;
    }

    public ChangeJson tableName(String tableName) {
        this.tableName = tableName;
        return this;
    }

    public ChangeJson awsRegion(String awsRegion) {
        this.awsRegion = awsRegion;
        return this;
    }

    /** Overrides the estimated SizeBytes. */
    public ChangeJson sizeBytes(long sizeBytes) {
        this.sizeBytes = sizeBytes;
        return this;
    }

    /** An extra top-level field (raw JSON value), written after the known ones. */
    public ChangeJson extraField(String name, String rawJson) {
        extraFields.put(name, rawJson);
        return this;
    }

    /** An extra field inside {@code dynamodb} (raw JSON value), written after SizeBytes. */
    public ChangeJson extraDynamodbField(String name, String rawJson) {
        extraDynamodbFields.put(name, rawJson);
        return this;
    }

    // ------------------------------------------------------------------ output

    public String eventName() {
        return eventName;
    }

    /** The key attributes as given (Java values). */
    public Map<String, Object> keys() {
        return new LinkedHashMap<>(keys);
    }

    /** NewImage as given (keys first), as Java values. */
    public Map<String, Object> newImage() {
        Map<String, Object> m = new LinkedHashMap<>(keys);
        m.putAll(newAttributes);
        return m;
    }

    /** OldImage as given (keys first), as Java values. */
    public Map<String, Object> oldImage() {
        Map<String, Object> m = new LinkedHashMap<>(keys);
        m.putAll(oldAttributes);
        return m;
    }

    /** What the decoder should give as {@code ChangeRecord.keys()}. */
    public Map<String, DynamoValue> expectedKeys() {
        return DynamoJson.expectedItem(keys);
    }

    /** What the decoder should give as {@code ChangeRecord.newImage()} (null for REMOVE). */
    public Map<String, DynamoValue> expectedNewImage() {
        return eventName.equals("REMOVE") ? null : DynamoJson.expectedItem(newImage());
    }

    /** The eventID written: the one set, or a UUID derived from the rest of the record. */
    public String eventId() {
        if (eventId != null) {
            return eventId;
        }
        return UUID.nameUUIDFromBytes(render("").getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A Kinesis partition key for this item, 32 upper-case hex digits like DynamoDB's; equal keys
     * give equal partition keys.
     */
    public String partitionKey() {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(keysText().getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(32);
            for (byte b : md5) {
                sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJson() {
        return render(eventId());
    }

    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return toJson();
    }

    private String keysText() {
        return keysJson != null ? keysJson : DynamoJson.item(keys);
    }

    private String render(String id) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"awsRegion\":");
        appendStringOrNull(sb, awsRegion);
        sb.append(",\"eventID\":");
        appendStringOrNull(sb, id);
        sb.append(",\"eventName\":");
        appendStringOrNull(sb, eventName);
        sb.append(",\"userIdentity\":").append(userIdentityJson);
        sb.append(",\"recordFormat\":\"application/json\"");
        sb.append(",\"tableName\":");
        appendStringOrNull(sb, tableName);
        sb.append(",\"eventSource\":\"aws:dynamodb\"");
        sb.append(",\"dynamodb\":{\"ApproximateCreationDateTime\":").append(time);
        if (precision != null) {
            sb.append(",\"ApproximateCreationDateTimePrecision\":");
            DynamoJson.appendQuoted(sb, precision);
        }
        sb.append(",\"Keys\":").append(keysText());
        long size = DynamoJson.size(keys);
        if (writeNewImage) {
            sb.append(",\"NewImage\":");
            if (newImageJson != null) {
                sb.append(newImageJson);
                size += newImageJson.length();
            } else {
                DynamoJson.appendItem(sb, newImage());
                size += DynamoJson.size(newImage());
            }
        }
        if (writeOldImage) {
            sb.append(",\"OldImage\":");
            if (oldImageJson != null) {
                sb.append(oldImageJson);
                size += oldImageJson.length();
            } else {
                DynamoJson.appendItem(sb, oldImage());
                size += DynamoJson.size(oldImage());
            }
        }
        sb.append(",\"SizeBytes\":").append(sizeBytes != null ? sizeBytes : size);
        extraDynamodbFields.forEach((k, v) -> {
            sb.append(',');
            DynamoJson.appendQuoted(sb, k);
            sb.append(':').append(v);
        });
        sb.append('}');
        extraFields.forEach((k, v) -> {
            sb.append(',');
            DynamoJson.appendQuoted(sb, k);
            sb.append(':').append(v);
        });
        sb.append('}');
        return sb.toString();
    }

    private static void appendStringOrNull(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
        } else {
            DynamoJson.appendQuoted(sb, s);
        }
    }
}
