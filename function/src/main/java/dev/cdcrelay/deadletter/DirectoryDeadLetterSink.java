package dev.cdcrelay.deadletter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Dead letters as files in a local directory, for the relay running on a laptop. One
 * {@code <sequenceNumber>-<hash>.json} per letter, the same document the S3 sink stores, so
 * {@code replay <directory>} reads them back.
 *
 * <p>Each file is written to a temporary name and then renamed, so a reader never sees half a
 * letter. Temporary names start with a dot and end in {@code .tmp}: replay skips them. Files are
 * created readable by the owner only (payloads may hold personal data).
 */
public final class DirectoryDeadLetterSink implements DeadLetterSink {

    private final Path directory;

    public DirectoryDeadLetterSink(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public void send(List<DeadLetter> letters) throws DeadLetterException {
        try {
            // Every time, not once: someone may have cleared the directory since the last letter.
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DeadLetterException("cannot create the dead-letter directory " + directory + ": " + e, e);
        }
        int written = 0;
        for (DeadLetter letter : letters) {
            try {
                write(letter);
            } catch (IOException e) {
                throw new DeadLetterException("dead letter for sequence number " + letter.record().sequenceNumber()
                        + " not written to " + directory + " (" + written + " of " + letters.size()
                        + " written before it): " + e, e);
            }
            written++;
        }
    }

    private void write(DeadLetter letter) throws IOException {
        String fileName = DeadLetterNames.fileName(letter);
        Path temporary = Files.createTempFile(directory, "." + fileName + ".", ".tmp");
        try {
            Files.write(temporary, DeadLetterCodec.write(letter));
            // Replaces an earlier copy of the same letter (same record re-delivered) in one step.
            Files.move(temporary, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the write failure is the one to report
            }
            throw e;
        }
    }

    @Override
    public String describe() {
        return "directory " + directory.toAbsolutePath();
    }

    @Override
    public void close() {
        // Nothing held open between sends.
    }
}
