package dev.cdcrelay.backfill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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

    public static SourceOutcome load(SnapshotLoader loader, ExportManifest.DataFile file, LongConsumer progress) {
        String name = file.relative();
        if (!Files.isRegularFile(file.path())) {
            return failed(name, "missing: the files manifest lists it, the directory does not have it ("
                    + file.itemCount() + " item(s) not loaded)");
        }
        try {
            Optional<String> checksum = checksumProblem(file);
            if (checksum.isPresent()) {
                return failed(name, checksum.get() + "; the file was not loaded (" + file.itemCount() + " item(s))");
            }
            if (Files.size(file.path()) == 0) {
                return counted(new SourceOutcome(name, 0, 0, List.of()), file);
            }
        } catch (IOException e) {
            return failed(name, "cannot be read: " + e.getMessage());
        }
        SourceOutcome outcome;
        try (InputStream raw = Files.newInputStream(file.path());
             JsonLines lines = new JsonLines(gunzip(raw))) {
            outcome = loader.load(name, file.index(), lines, progress);
        } catch (IOException e) {
            // Only the gzip header can fail here; failures while reading are the loader's to report.
            return failed(name, "not a gzip file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return counted(outcome, file);
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

    static Optional<String> checksumProblem(ExportManifest.DataFile file) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file.path()), md5)) {
            in.transferTo(OutputStream.nullOutputStream()); // the digest sees every byte on the way
        }
        String actual = Base64.getEncoder().encodeToString(md5.digest());
        return actual.equals(file.md5Checksum()) ? Optional.empty()
                : Optional.of("MD5 checksum mismatch: the files manifest says " + file.md5Checksum() + ", the file has " + actual);
    }

    private static SourceOutcome failed(String name, String problem) {
        return new SourceOutcome(name, 0, 0, List.of(name + ": " + problem));
    }
}
