package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventReader;
import dev.cdcrelay.kinesis.MalformedEventException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How replay reads one input (a file, standard input or an S3 object), record by record. The form
 * is detected from the content:
 *
 * <ul>
 *   <li>a Lambda Kinesis event {@code {"Records":[{"kinesis":{...}}]}}: what Lambda delivers,
 *       and what a dead letter is; several such documents one after the other are accepted too;
 *   <li>otherwise NDJSON: one DynamoDB change record (the decoded {@code data}) per line, see
 *       {@link ChangeRecordLines}. Blank lines are skipped.
 * </ul>
 *
 * <p>Inputs found in a directory or under an S3 prefix must be event documents ({@link
 * Form#EVENT_DOCUMENTS}): that is what the dead-letter destinations hold.
 *
 * <p>Errors name the input, the place and the problem, e.g.
 * {@code events.json: Records[3].kinesis.data is not base64}.
 */
public final class ReplayInput {

    /** What an input may hold. */
    public enum Form {
        /** An event document or NDJSON change records, decided by the first JSON value. */
        DETECTED,
        /** Lambda Kinesis event documents only (dead letters). */
        EVENT_DOCUMENTS
    }

    /**
     * How far the first JSON value is read to tell the forms apart. An NDJSON line holds one
     * change record (at most about 1 MB); an event document's {@code Records} field comes after a
     * few small fields. Memory for the look-ahead grows only as far as the value actually goes.
     */
    static final int DETECTION_LIMIT_BYTES = 32 * 1024 * 1024;

    private ReplayInput() {
    }

    /** The input cannot be replayed; the message says where and why. */
    public static final class InvalidInputException extends Exception {
        public InvalidInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens one input for reading record by record; {@code name} is used in error messages. The
     * reader owns the stream and closes it.
     */
    static RecordReader open(String name, InputStream input, Form form) throws IOException, InvalidInputException {
        BufferedInputStream buffered = new BufferedInputStream(input, 64 * 1024);
        try {
            skipByteOrderMark(buffered);
            if (form == Form.EVENT_DOCUMENTS || startsWithEventDocument(name, buffered)) {
                return new EventRecords(name, KinesisEventReader.streamRecords(buffered));
            }
            return new ChangeRecordLines(name, buffered);
        } catch (IOException | InvalidInputException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    private static boolean startsWithEventDocument(String name, BufferedInputStream input)
            throws IOException, InvalidInputException {
        input.mark(DETECTION_LIMIT_BYTES);
        boolean eventDocument = KinesisEventReader.isEventDocument(input);
        try {
            input.reset();
            // A mark stays valid after reset: without this the stream would keep up to the limit
            // buffered while the rest of the input is read.
            input.mark(0);
        } catch (IOException e) {
            throw new InvalidInputException(name + ": the first JSON value runs past "
                    + DETECTION_LIMIT_BYTES / (1024 * 1024) + " MB without a Records field: neither a Lambda "
                    + "Kinesis event nor one DynamoDB change record per line", e);
        }
        return eventDocument;
    }

    // Some Windows tools start UTF-8 files with EF BB BF; it is not part of the first record.
    private static void skipByteOrderMark(BufferedInputStream input) throws IOException {
        input.mark(3);
        if (!(input.read() == 0xEF && input.read() == 0xBB && input.read() == 0xBF)) {
            input.reset();
        }
    }

    /** Every record of a file (any of the forms above) or of the event documents below a directory. */
    public static List<IncomingRecord> read(Path path) throws IOException, InvalidInputException {
        List<IncomingRecord> records = new ArrayList<>();
        for (ReplaySource source : InputFiles.below(path)) {
            readInto(records, source.name(), source.open(), source.form());
        }
        return records;
    }

    /** Every record of a stream; {@code name} is used in error messages (e.g. "stdin"). */
    public static List<IncomingRecord> read(String name, InputStream input) throws IOException, InvalidInputException {
        List<IncomingRecord> records = new ArrayList<>();
        readInto(records, name, input, Form.DETECTED);
        return records;
    }

    /** Every record of one input held in memory; {@code name} is used in error messages. */
    public static List<IncomingRecord> parse(String name, byte[] content) throws InvalidInputException {
        try {
            return read(name, new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new InvalidInputException(name + ": " + e.getMessage(), e); // byte arrays do not fail
        }
    }

    private static void readInto(List<IncomingRecord> records, String name, InputStream input, Form form)
            throws IOException, InvalidInputException {
        try (RecordReader reader = open(name, input, form)) {
            for (Optional<IncomingRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
                records.add(r.get());
            }
        }
    }

    static String sequenceNumberOfLine(long lineNumber) {
        return ChangeRecordLines.sequenceNumberOfLine(lineNumber);
    }

    /** Event documents read through the shared reader, its messages prefixed with the input's name. */
    private static final class EventRecords implements RecordReader {
        private final String name;
        private final KinesisEventReader.RecordStream stream;

        EventRecords(String name, KinesisEventReader.RecordStream stream) {
            this.name = name;
            this.stream = stream;
        }

        @Override
        public Optional<IncomingRecord> next() throws InvalidInputException, IOException {
            try {
                return stream.next();
            } catch (MalformedEventException e) {
                throw new InvalidInputException(name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
