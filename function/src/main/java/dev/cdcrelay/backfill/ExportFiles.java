package dev.cdcrelay.backfill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Loads one data file of an export: checks that it is there and that its MD5 matches the files
 * manifest (before loading anything: a file that is not what the export wrote is not loaded at
 * all), reads its gzip JSON lines through a {@link SnapshotLoader}, and compares the number of
 * items with the manifest's. An empty object is an empty partition (zero items).
 */
public final class ExportFiles {

    private ExportFiles() {
    }

    /** Loads a downloaded data file (see {@link #load(SnapshotLoader, ExportManifest.DataFile, ExportObject, LongConsumer)}). */
    public static SourceOutcome load(SnapshotLoader loader, ExportManifest.DataFile file, LongConsumer progress) {
        if (!Files.isRegularFile(file.path())) {
            return missing(file, "the directory does not have it");
        }
        return load(loader, file, ExportObject.file(file.path()), progress);
    }

    /**
     * Loads one data object: first its MD5 is compared with the manifest's over the whole object,
     * then (a second read) its items are loaded and counted.
     */
    public static SourceOutcome load(SnapshotLoader loader, ExportManifest.DataFile file, ExportObject object,
                                     LongConsumer progress) {
        String name = file.relative();
        long size;
        try {
            Checksum checksum = checksum(object);
            if (!checksum.base64().equals(file.md5Checksum())) {
                return failed(name, "MD5 checksum mismatch: the files manifest says " + file.md5Checksum() + ", the file has "
                        + checksum.base64() + "; the file was not loaded (" + file.itemCount() + " item(s))");
            }
            size = checksum.size();
        } catch (NoSuchFileException e) {
            return missing(file, "there is no " + e.getMessage());
        } catch (IOException e) {
            return failed(name, "cannot be read: " + e.getMessage());
        }
        if (size == 0) {
            return counted(new SourceOutcome(name, 0, 0, List.of()), file);
        }
        SourceOutcome outcome;
        try (InputStream raw = object.open();
             JsonLines lines = new JsonLines(gunzip(raw))) {
            outcome = loader.load(name, file.index(), lines, progress);
        } catch (IOException e) {
            // Only opening and the gzip header can fail here; failures while reading are the loader's to report.
            return failed(name, "not a gzip file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return counted(outcome, file);
    }

    private static SourceOutcome missing(ExportManifest.DataFile file, String where) {
        return failed(file.relative(), "missing: the files manifest lists it, " + where + " ("
                + file.itemCount() + " item(s) not loaded)");
    }

    private static InputStream gunzip(InputStream raw) throws IOException {
        return new GZIPInputStream(raw, 64 * 1024);
    }

    /** Adds a problem when the items read differ from the manifest's count for the file. */
    private static SourceOutcome counted(SourceOutcome outcome, ExportManifest.DataFile file) {
        if (outcome.itemsRead() == file.itemCount()) {
            return outcome;
        }
        List<String> problems = new ArrayList<>(outcome.problems());
        problems.add(outcome.source() + ": " + outcome.itemsRead() + " item(s) read, the files manifest says "
                + file.itemCount());
        return new SourceOutcome(outcome.source(), outcome.itemsRead(), outcome.itemsLoaded(), problems);
    }

    /** The object's MD5 (base64, as the files manifest writes it) and its size in bytes. */
    record Checksum(String base64, long size) {
    }

    static Checksum checksum(ExportObject object) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        long size;
        try (InputStream in = new DigestInputStream(object.open(), md5)) {
            size = in.transferTo(OutputStream.nullOutputStream()); // the digest sees every byte on the way
        }
        return new Checksum(Base64.getEncoder().encodeToString(md5.digest()), size);
    }

    private static SourceOutcome failed(String name, String problem) {
        return new SourceOutcome(name, 0, 0, List.of(name + ": " + problem));
    }
}
