package dev.cdcrelay.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.kinesis.KinesisEventReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * NDJSON change records read line by line: each non-blank line becomes a record with the line's
 * bytes as payload and the line number, zero-padded, as sequence number, so later lines win ties
 * the way later Kinesis records do. The bytes are kept as they are (no charset round trip).
 */
final class ChangeRecordLines implements RecordReader {

    /** Digits of a synthesized sequence number: any line number fits, and text order is numeric order. */
    static final int SEQUENCE_NUMBER_DIGITS = 20;

    /**
     * A change record is at most a 400 KB item twice (old and new image) in DynamoDB JSON; a line
     * far longer than that is not NDJSON of change records, and must not be gathered into memory.
     */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final InputStream input;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean atEnd;
    private long lineNumber;

    ChangeRecordLines(String name, InputStream input) {
        this.name = name;
        this.input = input;
    }

    static String sequenceNumberOfLine(long lineNumber) {
        return String.format("%0" + SEQUENCE_NUMBER_DIGITS + "d", lineNumber);
    }

    @Override
    public Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException {
        for (Optional<byte[]> line = nextLine(); line.isPresent(); line = nextLine()) {
            if (!isBlank(line.get())) {
                requireOneJsonObject(line.get());
                return Optional.of(new IncomingRecord(sequenceNumberOfLine(lineNumber), "", line.get(), 0));
            }
        }
        return Optional.empty();
    }

    /** The next line without its end (LF or CRLF), or empty at the end of the input. */
    private Optional<byte[]> nextLine() throws IOException, ReplayInput.InvalidInputException {
        LineBytes line = new LineBytes();
        while (true) {
            if (position == limit && !fill()) {
                if (line.isEmpty()) {
                    return Optional.empty();
                }
                break;
            }
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            line.append(buffer, position, end - position);
            position = newline < 0 ? limit : newline + 1;
            if (line.size() > MAX_LINE_BYTES) {
                throw new ReplayInput.InvalidInputException(name + ": line " + (lineNumber + 1) + " is longer than "
                        + MAX_LINE_BYTES / (1024 * 1024) + " MB: not one DynamoDB change record per line", null);
            }
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        return Optional.of(line.withoutCarriageReturn());
    }

    private boolean fill() throws IOException {
        if (atEnd) {
            return false;
        }
        int n = input.read(buffer);
        if (n < 0) {
            atEnd = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Only the framing is checked here (one complete JSON object on the line); whether it is a
     * valid DynamoDB change is the relay's decoder's business, and a bad one becomes a dead letter.
     */
    private void requireOneJsonObject(byte[] line) throws ReplayInput.InvalidInputException {
        String where = name + ": line " + lineNumber + ": ";
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ReplayInput.InvalidInputException(where + "not a JSON object (expected one DynamoDB change "
                        + "record per line, or a Lambda Kinesis event with a Records array)", null);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new ReplayInput.InvalidInputException(where + "more than one JSON value on the line", null);
            }
        } catch (JsonEOFException e) {
            throw new ReplayInput.InvalidInputException(where + "the JSON object does not end on this line "
                    + "(NDJSON needs each change record on a single line)", e);
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new ReplayInput.InvalidInputException(where + "invalid JSON" + column + ": "
                    + KinesisEventReader.withoutSourceNote(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ReplayInput.InvalidInputException(where + e.getMessage(), e); // byte arrays do not fail
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }

    /** A growing byte array for one line; most lines fit the first allocation. */
    private static final class LineBytes {
        private byte[] bytes = new byte[0];
        private int size;

        void append(byte[] source, int from, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + length, Math.max(256, bytes.length * 2)));
            }
            System.arraycopy(source, from, bytes, size, length);
            size += length;
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        byte[] withoutCarriageReturn() {
            int end = size > 0 && bytes[size - 1] == '\r' ? size - 1 : size; // CRLF files from Windows editors
            return Arrays.copyOf(bytes, end);
        }
    }
}
