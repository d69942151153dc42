package dev.cdcrelay.backfill;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cdcrelay.decode.JsonFailures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DynamoDB export to S3, downloaded to a directory: the {@code AWSDynamoDB/<export-id>/} folder
 * with {@code manifest-summary.json} (one JSON object: exportArn, exportTime, itemCount,
 * outputFormat, manifestFilesS3Key, ...), {@code manifest-files.json} (JSON lines, one per data
 * file: itemCount, md5Checksum, etag, dataFileS3Key) and {@code data/*.json.gz}. S3 keys in the
 * manifests carry the bucket prefix; they are resolved below the directory by what follows
 * {@code AWSDynamoDB/<export-id>/}.
 *
 * <p>Only full exports in DYNAMODB_JSON are accepted: an incremental export's lines are changes,
 * not items, and ION is another syntax.
 */
public record ExportManifest(Path directory, String exportArn, Instant exportTime, long itemCount,
                             List<DataFile> files) {

    public static final String SUMMARY = "manifest-summary.json";
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One data file as the files manifest lists it.
     *
     * @param index       0-based position in manifest-files.json
     * @param relative    the file below the export directory, e.g. {@code data/abc.json.gz}
     * @param path        the downloaded file; for an export read from S3 ({@link #entry}) the relative name
     * @param itemCount   items the export wrote into it
     * @param md5Checksum base64 of the MD5 of the (gzipped) object
     * @param etag        the S3 ETag; not an MD5 for multipart uploads (a {@code -N} suffix), so unused
     */
    public record DataFile(int index, String relative, Path path, long itemCount, String md5Checksum, String etag) {
    }

    public ExportManifest {
        files = List.copyOf(files);
    }

    /**
     * What manifest-summary.json says, checked: a full export in DYNAMODB_JSON with its time and count.
     *
     * @param manifestFilesKey the S3 key of manifest-files.json, as the summary gives it
     */
    public record Summary(String exportArn, Instant exportTime, long itemCount, String manifestFilesKey) {
    }

    /** Reads and checks both manifests; every error names the file (and line) and what is wrong. */
    public static ExportManifest read(Path directory) throws InvalidExportException {
        Summary summary = summary(readText(directory.resolve(SUMMARY)));
        String filesName = relative(summary.manifestFilesKey());
        List<DataFile> files = dataFiles(directory, filesName);
        return new ExportManifest(directory, summary.exportArn(), summary.exportTime(), summary.itemCount(), files);
    }

    /** Parses and checks the text of a manifest-summary.json. */
    public static Summary summary(String json) throws InvalidExportException {
        Map<String, Object> summary = flatObject(json, SUMMARY);
        String format = text(summary, "outputFormat", SUMMARY).orElse("DYNAMODB_JSON");
        if (!format.equals("DYNAMODB_JSON")) {
            throw new InvalidExportException(SUMMARY + ": outputFormat is " + format + "; only DYNAMODB_JSON can be loaded");
        }
        String type = text(summary, "exportType", SUMMARY).orElse("FULL_EXPORT");
        if (!type.equals("FULL_EXPORT")) {
            throw new InvalidExportException(SUMMARY + ": exportType is " + type + "; only a FULL_EXPORT holds items");
        }
        String timeText = text(summary, "exportTime", SUMMARY)
                .orElseThrow(() -> new InvalidExportException(SUMMARY + ": exportTime is missing"));
        Instant exportTime;
        try {
            exportTime = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new InvalidExportException(SUMMARY + ": exportTime '" + timeText + "' is not an ISO-8601 instant");
        }
        long itemCount = number(summary, "itemCount", SUMMARY);
        String filesKey = text(summary, "manifestFilesS3Key", SUMMARY).orElse("manifest-files.json");
        return new Summary(text(summary, "exportArn", SUMMARY).orElse("(no exportArn)"), exportTime, itemCount, filesKey);
    }

    /**
     * One entry of manifest-files.json, as the Distributed Map hands it to a task (already parsed);
     * the caller reads the data object from S3 by its {@code dataFileS3Key}.
     */
    public static DataFile entry(int index, Map<String, ?> entry, String where) throws InvalidExportException {
        String key = text(entry, "dataFileS3Key", where)
                .orElseThrow(() -> new InvalidExportException(where + ": dataFileS3Key is missing"));
        String md5 = text(entry, "md5Checksum", where)
                .orElseThrow(() -> new InvalidExportException(where + ": md5Checksum is missing"));
        return new DataFile(index, relative(key), Path.of(relative(key)), number(entry, "itemCount", where), md5,
                text(entry, "etag", where).orElse(""));
    }

    /** Items the files manifest promises, summed; equal to {@link #itemCount()} in a sound export. */
    public long itemsInFiles() {
        return files.stream().mapToLong(DataFile::itemCount).sum();
    }

    private static List<DataFile> dataFiles(Path directory, String filesName) throws InvalidExportException {
        String text = readText(resolve(directory, filesName, SUMMARY));
        List<DataFile> files = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = filesName + " line " + (i + 1);
            Map<String, Object> entry = flatObject(line, where);
            String key = text(entry, "dataFileS3Key", where)
                    .orElseThrow(() -> new InvalidExportException(where + ": dataFileS3Key is missing"));
            String md5 = text(entry, "md5Checksum", where)
                    .orElseThrow(() -> new InvalidExportException(where + ": md5Checksum is missing"));
            String rel = relative(key);
            files.add(new DataFile(files.size(), rel, resolve(directory, rel, where), number(entry, "itemCount", where),
                    md5, text(entry, "etag", where).orElse("")));
        }
        return files;
    }

    /** What follows {@code AWSDynamoDB/<export-id>/} in an S3 key; the key itself if it has no such part. */
    static String relative(String s3Key) {
        String marker = "AWSDynamoDB/";
        int at = s3Key.lastIndexOf(marker);
        if (at < 0) {
            return s3Key;
        }
        int idEnd = s3Key.indexOf('/', at + marker.length());
        return idEnd < 0 ? s3Key : s3Key.substring(idEnd + 1);
    }

    private static Path resolve(Path directory, String relative, String where) throws InvalidExportException {
        Path p = directory.resolve(relative).normalize();
        if (!p.startsWith(directory.normalize())) {
            throw new InvalidExportException(where + ": '" + relative + "' points outside the export directory");
        }
        return p;
    }

    private static String readText(Path file) throws InvalidExportException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidExportException(file + ": not found (is this the AWSDynamoDB/<export-id>/ directory of an export?)");
        } catch (IOException e) {
            throw new InvalidExportException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** A one-level JSON object of strings, numbers and nulls; nested values are skipped. */
    private static Map<String, Object> flatObject(String json, String where) throws InvalidExportException {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidExportException(where + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_STRING -> out.put(name, p.getText());
                    case VALUE_NUMBER_INT -> out.put(name, p.getLongValue());
                    case START_OBJECT, START_ARRAY -> p.skipChildren();
                    default -> { } // null, booleans, fractions: nothing this reader needs
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidExportException(where + ": unexpected content after the JSON object");
            }
        } catch (IOException e) {
            throw new InvalidExportException(where + ": " + JsonFailures.reason(e));
        }
        return out;
    }

    private static Optional<String> text(Map<String, ?> fields, String name, String where) throws InvalidExportException {
        Object v = fields.get(name);
        if (v != null && !(v instanceof String)) {
            throw new InvalidExportException(where + ": " + name + " must be a string");
        }
        return Optional.ofNullable((String) v);
    }

    private static long number(Map<String, ?> fields, String name, String where) throws InvalidExportException {
        if (!(fields.get(name) instanceof Long n) || n < 0) {
            throw new InvalidExportException(where + ": " + name + " must be a whole number, not negative");
        }
        return n;
    }
}
