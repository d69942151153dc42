package dev.cdcrelay.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.cdcrelay.deadletter.KinesisEventReader;
import dev.cdcrelay.deadletter.MalformedEventException;
import dev.cdcrelay.relay.IncomingRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What the replay command feeds to the relay, read from a file, standard input or a directory.
 * The form is detected from the content:
 *
 * <ul>
 *   <li>a Lambda Kinesis event {@code {"Records":[{"kinesis":{...}}]}}: what Lambda delivers,
 *       and what a dead letter is; several such documents one after the other are accepted too;
 *   <li>otherwise NDJSON: one DynamoDB change record (the decoded {@code data}) per line. Each
 *       line becomes a record with the line's bytes as payload and the line number, zero-padded,
 *       as sequence number, so later lines win ties the way later Kinesis records do. Blank lines
 *       are skipped.
 * </ul>
 *
 * <p>A directory stands for every {@code *.json} file below it, in order of their path (as
 * {@code aws s3 sync} of the dead-letter bucket lays them out: {@code yyyy/MM/dd/...}), each a
 * Lambda event or dead-letter document. Names starting with a dot are skipped (temporary files of
 * the directory sink, editor and OS litter).
 *
 * <p>Errors name the file, the place and the problem, e.g.
 * {@code events.json: Records[3].kinesis.data is not base64}.
 */
public final class ReplayInput {

    /** Digits of a synthesized sequence number: any line number fits, and text order is numeric order. */
    static final int SEQUENCE_NUMBER_DIGITS = 20;

    private static final JsonFactory JSON = new JsonFactory();

    private ReplayInput() {
    }

    /** The input cannot be replayed; the message says where and why. */
    public static final class InvalidInputException extends Exception {
        public InvalidInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A file (any of the forms above) or a directory of event documents. */
    public static List<IncomingRecord> read(Path path) throws IOException, InvalidInputException {
        if (Files.isDirectory(path)) {
            return readDirectory(path);
        }
        return parse(path.toString(), Files.readAllBytes(path));
    }

    /** Standard input or any other stream; {@code name} is used in error messages (e.g. "stdin"). */
    public static List<IncomingRecord> read(String name, InputStream input) throws IOException, InvalidInputException {
        return parse(name, input.readAllBytes());
    }

    /** The content of one input; {@code name} is used in error messages. */
    public static List<IncomingRecord> parse(String name, byte[] content) throws InvalidInputException {
        byte[] json = withoutByteOrderMark(content);
        if (KinesisEventReader.isEventDocument(json)) {
            return readEventDocuments(name, json);
        }
        return readChangeRecordLines(name, json);
    }

    private static List<IncomingRecord> readDirectory(Path directory) throws IOException, InvalidInputException {
        List<IncomingRecord> records = new ArrayList<>();
        for (Path file : jsonFilesBelow(directory)) {
            records.addAll(readEventDocuments(file.toString(), withoutByteOrderMark(Files.readAllBytes(file))));
        }
        return records;
    }

    private static List<Path> jsonFilesBelow(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths
                    .filter(path -> !path.equals(directory))
                    .filter(path -> !isHidden(directory.relativize(path)))
                    .filter(path -> path.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(path -> slashSeparated(directory.relativize(path))))
                    .collect(Collectors.toList());
        }
    }

    private static boolean isHidden(Path relative) {
        return StreamSupport.stream(relative.spliterator(), false)
                .anyMatch(part -> part.toString().startsWith("."));
    }

    // The same order on every OS: compare "2024/07/12/x.json", not the platform's separators.
    private static String slashSeparated(Path relative) {
        return StreamSupport.stream(relative.spliterator(), false)
                .map(Path::toString)
                .collect(Collectors.joining("/"));
    }

    private static List<IncomingRecord> readEventDocuments(String name, byte[] json) throws InvalidInputException {
        try {
            return KinesisEventReader.readRecords(json);
        } catch (MalformedEventException e) {
            throw new InvalidInputException(name + ": " + e.getMessage(), e);
        }
    }

    private static List<IncomingRecord> readChangeRecordLines(String name, byte[] content) throws InvalidInputException {
        List<IncomingRecord> records = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < content.length) {
            lineNumber++;
            int newline = indexOf(content, (byte) '\n', start);
            int end = newline < 0 ? content.length : newline;
            int next = end + 1;
            if (end > start && content[end - 1] == '\r') {
                end--; // CRLF files from Windows editors
            }
            byte[] line = Arrays.copyOfRange(content, start, end);
            start = next;
            if (isBlank(line)) {
                continue;
            }
            requireOneJsonObject(name, lineNumber, line);
            records.add(new IncomingRecord(sequenceNumberOfLine(lineNumber), "", line, 0));
        }
        return records;
    }

    static String sequenceNumberOfLine(int lineNumber) {
        return String.format("%0" + SEQUENCE_NUMBER_DIGITS + "d", lineNumber);
    }

    /**
     * Only the framing is checked here (one complete JSON object on the line); whether it is a
     * valid DynamoDB change is the relay's decoder's business, and a bad one becomes a dead letter.
     */
    private static void requireOneJsonObject(String name, int lineNumber, byte[] line) throws InvalidInputException {
        String where = name + ": line " + lineNumber + ": ";
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(where + "not a JSON object (expected one DynamoDB change record "
                        + "per line, or a Lambda Kinesis event with a Records array)", null);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidInputException(where + "more than one JSON value on the line", null);
            }
        } catch (JsonEOFException e) {
            throw new InvalidInputException(where + "the JSON object does not end on this line "
                    + "(NDJSON needs each change record on a single line)", e);
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            // Jackson names the (redacted) input in nested locations; drop that, the file is named already.
            String problem = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
            throw new InvalidInputException(where + "invalid JSON" + column + ": " + problem, e);
        } catch (IOException e) {
            throw new InvalidInputException(where + e.getMessage(), e); // byte arrays do not fail
        }
    }

    private static int indexOf(byte[] content, byte wanted, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    // Some Windows tools start UTF-8 files with EF BB BF; it is not part of the first record.
    private static byte[] withoutByteOrderMark(byte[] content) {
        if (content.length >= 3 && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB && content[2] == (byte) 0xBF) {
            return Arrays.copyOfRange(content, 3, content.length);
        }
        return content;
    }
}
