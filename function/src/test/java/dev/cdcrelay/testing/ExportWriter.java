package dev.cdcrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a DynamoDB full export as AWS documents it ("DynamoDB table export output format",
 * S3DataExport.Output): under {@code <prefix>/AWSDynamoDB/<export-id>/} an empty {@code _started},
 * {@code manifest-summary.json} (version, exportArn, startTime, endTime, tableArn, tableId,
 * exportTime, s3Bucket, s3Prefix, s3SseAlgorithm, s3SseKmsKeyId, manifestFilesS3Key,
 * billedSizeBytes, itemCount, outputFormat), {@code manifest-files.json} in JSON lines (itemCount,
 * md5Checksum = base64 of the object's MD5, etag with a multipart {@code -1} suffix, dataFileS3Key),
 * a {@code .checksum} beside each manifest, and {@code data/<name>.json.gz}: gzip JSON lines, one
 * {@code {"Item": {...}}} per item in DynamoDB JSON. An empty partition gives an empty object. S3
 * keys carry the prefix, as a real export's do.
 *
 * <pre>{@code
 * Path dir = new ExportWriter(tmp, Instant.parse("2026-12-02T05:00:00Z"))
 *         .file(List.of(Map.of("id", "a", "n", new BigDecimal("1"))))
 *         .emptyFile()
 *         .write();   // the AWSDynamoDB/<export-id>/ directory, what `backfill` takes
 * }</pre>
 */
public final class ExportWriter {

    private static final String BUCKET = "ddb-export-test";
    private static final String PREFIX = "exports/2026-Dec";
    private static final String TABLE_ARN = "arn:aws:dynamodb:eu-central-1:123456789012:table/demo-source";

    private final Path root;
    private final Instant exportTime;
    private final String exportId;
    private final Random random;
    private final List<byte[]> objects = new ArrayList<>();
    private final List<Long> counts = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    public ExportWriter(Path root, Instant exportTime) {
        this.root = root;
        this.exportTime = exportTime;
        this.random = new Random(exportTime.toEpochMilli());
        this.exportId = exportTime.toEpochMilli() + "-" + HexFormat.of().toHexDigits(random.nextInt());
    }

    /** A data file holding these items (attribute maps as {@link DynamoJson#item} takes them). */
    public ExportWriter file(List<? extends Map<String, ?>> items) {
        List<String> lines = new ArrayList<>();
        for (Map<String, ?> item : items) {
            lines.add("{\"Item\":" + DynamoJson.item(item) + "}");
        }
        return lines(lines);
    }

    /** A data file of these lines, as they are (for invalid items); counted as items. */
    public ExportWriter lines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return object(gzip(sb.toString().getBytes(StandardCharsets.UTF_8)), lines.size());
    }

    /** An empty partition: an empty object, zero items. */
    public ExportWriter emptyFile() {
        return object(new byte[0], 0);
    }

    /** A data object of these exact bytes claiming this many items; the manifest's MD5 matches them. */
    public ExportWriter object(byte[] bytes, long itemCount) {
        objects.add(bytes);
        counts.add(itemCount);
        names.add(base32Name());
        return this;
    }

    /** Writes everything; returns the {@code AWSDynamoDB/<export-id>/} directory. */
    public Path write() {
        Path dir = root.resolve(PREFIX).resolve("AWSDynamoDB").resolve(exportId);
        String keyBase = PREFIX + "/AWSDynamoDB/" + exportId + "/";
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.write(dir.resolve("_started"), new byte[0]);
            StringBuilder files = new StringBuilder();
            long total = 0;
            for (int i = 0; i < objects.size(); i++) {
                Files.write(dir.resolve("data").resolve(names.get(i)), objects.get(i));
                files.append("{\"itemCount\":").append(counts.get(i))
                        .append(",\"md5Checksum\":\"").append(Base64.getEncoder().encodeToString(md5(objects.get(i))))
                        .append("\",\"etag\":\"").append(HexFormat.of().formatHex(md5(names.get(i).getBytes(StandardCharsets.UTF_8))))
                        .append("-1\",\"dataFileS3Key\":\"").append(keyBase).append("data/").append(names.get(i)).append("\"}\n");
                total += counts.get(i);
            }
            writeWithChecksum(dir, "manifest-files", files.toString());
            String start = exportTime.plusSeconds(1).toString();
            String summary = "{\"version\":\"2020-06-30\",\"exportArn\":\"" + TABLE_ARN + "/export/" + exportId + "\","
                    + "\"startTime\":\"" + start + "\",\"endTime\":\"" + exportTime.plusSeconds(300) + "\","
                    + "\"tableArn\":\"" + TABLE_ARN + "\",\"tableId\":\"12345a12-abcd-123a-ab12-1234abc12345\","
                    + "\"exportTime\":\"" + exportTime + "\",\"s3Bucket\":\"" + BUCKET + "\",\"s3Prefix\":\"" + PREFIX + "\","
                    + "\"s3SseAlgorithm\":\"AES256\",\"s3SseKmsKeyId\":null,"
                    + "\"manifestFilesS3Key\":\"" + keyBase + "manifest-files.json\",\"billedSizeBytes\":"
                    + objects.stream().mapToLong(b -> b.length).sum() + ",\"itemCount\":" + total
                    + ",\"outputFormat\":\"DYNAMODB_JSON\"}";
            writeWithChecksum(dir, "manifest-summary", summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The data files' names in the order given, each below {@code data/}. */
    public List<String> dataFiles() {
        return names.stream().map(n -> "data/" + n).toList();
    }

    private static void writeWithChecksum(Path dir, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(name + ".json"), bytes);
        // The checksum files' content is not documented; the loader does not read them.
        Files.writeString(dir.resolve(name + ".checksum"), HexFormat.of().formatHex(md5(bytes)));
    }

    private String base32Name() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.append(".json.gz").toString();
    }

    public static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
