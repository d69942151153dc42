package dev.cdcrelay.kinesis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads Lambda Kinesis event documents ({@code {"Records":[{"kinesis":{...}}, ...]}}) back into
 * {@link IncomingRecord}s: the events Lambda hands the function, the ones its console and SAM
 * generate, and dead-letter documents (which are such events). Fields the relay does not need are
 * skipped; errors name the place, e.g. {@code Records[3].kinesis.data is not base64}. A caller whose
 * documents carry one more top-level section (the dead letters' {@code deadLetter}) reads it with its
 * own {@link SectionReader}, so this format knows nothing of who stores the events.
 */
public final class KinesisEventReader {

    private static final JsonFactory JSON = new JsonFactory();

    /** For peeking at a stream that is read again afterwards: closing the parser leaves it open. */
    private static final JsonFactory NOT_CLOSING = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private KinesisEventReader() {
    }

    /**
     * True when the input starts with a JSON object that has a top-level {@code Records} field.
     * Decided on the first object alone, so a large or partly broken input is not parsed twice;
     * false for anything else, including input that is not JSON.
     */
    public static boolean isEventDocument(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            return startsWithRecordsField(parser);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The same decision on a stream, reading only as far as needed: up to the {@code Records}
     * field, or to the end of the first object. Leaves the stream open; the caller marks and
     * resets it to read the content again. An {@link IOException} of the stream itself is passed
     * on (it is not a verdict on the content).
     */
    public static boolean isEventDocument(InputStream json) throws IOException {
        try (JsonParser parser = NOT_CLOSING.createParser(json)) {
            return startsWithRecordsField(parser);
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean startsWithRecordsField(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if ("Records".equals(parser.currentName())) {
                return true;
            }
            parser.nextToken();
            parser.skipChildren();
        }
        return false;
    }

    /**
     * Every record of every event document in the input: one document, or several one after the
     * other (as {@code cat *.json} makes). Errors in the second and later documents say which.
     */
    public static List<IncomingRecord> readRecords(byte[] json) throws MalformedEventException {
        List<IncomingRecord> records = new ArrayList<>();
        try (RecordStream stream = new RecordStream(JSON.createParser(json))) {
            for (Optional<IncomingRecord> r = stream.next(); r.isPresent(); r = stream.next()) {
                records.add(r.get());
            }
        } catch (IOException e) {
            throw new MalformedEventException("unreadable input: " + e.getMessage(), e); // byte arrays do not fail
        }
        return records;
    }

    /**
     * The records of the event documents in a stream, one at a time: memory holds one record,
     * never the document, so an event file of any size can be replayed. The caller closes the
     * stream (closing the returned reader closes it too).
     */
    public static RecordStream streamRecords(InputStream json) throws IOException {
        return new RecordStream(JSON.createParser(json));
    }

    /**
     * Exactly one document, with its top-level field {@code sectionName} (if present) read by
     * {@code section}; any other content after the document is an error.
     */
    public static <T> KinesisEventDocument<T> readOneDocument(byte[] json, String sectionName,
            SectionReader<T> section) throws MalformedEventException {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new MalformedEventException("no JSON document (the input is empty)");
            }
            KinesisEventDocument<T> document = new DocumentReader(parser).read(sectionName, section);
            if (parser.nextToken() != null) {
                throw new MalformedEventException("unexpected content after the document"
                        + at(parser.currentTokenLocation()));
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(syntaxError(e), e);
        } catch (IOException e) {
            throw new MalformedEventException("unreadable input: " + e.getMessage(), e); // byte arrays do not fail
        }
    }

    private static String syntaxError(JsonProcessingException e) {
        String problem = e instanceof JsonEOFException ? "the JSON ends too early" : "invalid JSON";
        return problem + at(e.getLocation()) + ": " + withoutSourceNote(e.getOriginalMessage());
    }

    // Jackson names the (redacted) input in nested locations; the file name is added by the caller.
    public static String withoutSourceNote(String jacksonMessage) {
        return jacksonMessage.replaceAll("\\[Source: [^;]*; ", "[");
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Records of the event documents in one input, pulled one by one. Same grammar and messages
     * as the whole-document reader: documents one after the other, the {@code Records} field
     * anywhere in its object, other fields skipped, errors in document 2 and later say which.
     */
    public static final class RecordStream implements Closeable {

        private enum Place { BETWEEN_DOCUMENTS, IN_DOCUMENT, IN_RECORDS, AT_END }

        private final JsonParser parser;
        private final DocumentReader fields;
        private Place place = Place.BETWEEN_DOCUMENTS;
        private int documents;
        private int recordIndex;
        private boolean documentHasRecords;

        private RecordStream(JsonParser parser) {
            this.parser = parser;
            this.fields = new DocumentReader(parser);
        }

        /** The next record, or empty at the end of the input. */
        public Optional<IncomingRecord> next() throws MalformedEventException, IOException {
            String where = "";
            try {
                while (place != Place.AT_END) {
                    where = documents > 1 ? "document " + documents + ": " : "";
                    Optional<IncomingRecord> record = step();
                    if (record.isPresent()) {
                        return record;
                    }
                }
                return Optional.empty();
            } catch (MalformedEventException e) {
                place = Place.AT_END;
                throw new MalformedEventException(where + e.getMessage(), e.getCause());
            } catch (JsonProcessingException e) {
                place = Place.AT_END;
                throw new MalformedEventException(where + syntaxError(e), e);
            }
        }

        /** One move through the grammar; a record when it met one. */
        private Optional<IncomingRecord> step() throws IOException, MalformedEventException {
            switch (place) {
                case BETWEEN_DOCUMENTS -> startDocument();
                case IN_DOCUMENT -> nextField();
                case IN_RECORDS -> {
                    if (parser.nextToken() == JsonToken.END_ARRAY) {
                        place = Place.IN_DOCUMENT;
                    } else {
                        return Optional.of(fields.readRecord(recordIndex++));
                    }
                }
                case AT_END -> { }
            }
            return Optional.empty();
        }

        private void startDocument() throws IOException, MalformedEventException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                if (documents == 0) {
                    throw new MalformedEventException("no JSON document (the input is empty)");
                }
                place = Place.AT_END;
                return;
            }
            documents++;
            if (token != JsonToken.START_OBJECT) {
                String where = documents > 1 ? "document " + documents + ": " : "";
                throw new MalformedEventException(where + "expected a JSON object (a Lambda Kinesis event)"
                        + at(parser.currentTokenLocation()));
            }
            documentHasRecords = false;
            place = Place.IN_DOCUMENT;
        }

        private void nextField() throws IOException, MalformedEventException {
            if (parser.nextToken() != JsonToken.FIELD_NAME) {
                if (!documentHasRecords) {
                    throw new MalformedEventException("no Records array: not a Lambda Kinesis event");
                }
                place = Place.BETWEEN_DOCUMENTS;
                return;
            }
            String name = parser.currentName();
            parser.nextToken();
            if (!name.equals("Records")) {
                parser.skipChildren();
                return;
            }
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new MalformedEventException("Records is not an array");
            }
            if (documentHasRecords) {
                // Reading both would count their records twice; which one Lambda meant is unknowable.
                throw new MalformedEventException("Records appears twice in one document");
            }
            documentHasRecords = true;
            recordIndex = 0;
            place = Place.IN_RECORDS;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** Walks one root object; holds the parser so the field readers stay short. */
    private static final class DocumentReader {
        private final JsonParser parser;
        /** The base64 text of the record being read, as bytes; grows to the largest record's. */
        private byte[] base64 = new byte[1024];

        DocumentReader(JsonParser parser) {
            this.parser = parser;
        }

        <T> KinesisEventDocument<T> read(String sectionName, SectionReader<T> section)
                throws IOException, MalformedEventException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("expected a JSON object (a Lambda Kinesis event)"
                        + at(parser.currentTokenLocation()));
            }
            List<IncomingRecord> records = null;
            Optional<T> sectionValue = Optional.empty();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("Records")) {
                    records = readRecordArray();
                } else if (name.equals(sectionName)) {
                    sectionValue = Optional.of(section.read(parser));
                } else {
                    parser.skipChildren();
                }
            }
            if (records == null) {
                throw new MalformedEventException("no Records array: not a Lambda Kinesis event");
            }
            return new KinesisEventDocument<>(records, sectionValue);
        }

        private List<IncomingRecord> readRecordArray() throws IOException, MalformedEventException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new MalformedEventException("Records is not an array");
            }
            List<IncomingRecord> records = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                records.add(readRecord(records.size()));
            }
            return records;
        }

        // The record's place ("Records[3]") is spelled only for a message: five such strings for
        // every record were ~15 % of the CPU of reading a replay's 30,000 records (C1, 655 -> 554 ms).
        private IncomingRecord readRecord(int index) throws IOException, MalformedEventException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw JsonFields.notAnObject(recordPath(index));
            }
            IncomingRecord record = null;
            String eventSource = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("kinesis")) {
                    record = readKinesis(index);
                } else if (name.equals("eventSource") && parser.currentToken() == JsonToken.VALUE_STRING) {
                    eventSource = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (record == null) {
                // A DynamoDB Streams event has Records too; say so rather than just "missing".
                throw new MalformedEventException(recordPath(index) + ".kinesis is missing"
                        + (eventSource == null ? "" : " (eventSource is " + eventSource + ", not aws:kinesis)"));
            }
            return record;
        }

        private IncomingRecord readKinesis(int index) throws IOException, MalformedEventException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw JsonFields.notAnObject(kinesisPath(index, ""));
            }
            String sequenceNumber = null;
            String partitionKey = null;
            byte[] data = null;
            long arrivalEpochMillis = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "sequenceNumber" -> sequenceNumber = stringOrNull(index, ".sequenceNumber");
                    case "partitionKey" -> partitionKey = stringOrNull(index, ".partitionKey");
                    case "data" -> data = readBase64(index);
                    case "approximateArrivalTimestamp" -> arrivalEpochMillis = readEpochSecondsAsMillis(index);
                    default -> parser.skipChildren();
                }
            }
            if (sequenceNumber == null || sequenceNumber.isEmpty()) {
                throw new MalformedEventException(kinesisPath(index, ".sequenceNumber") + " is missing");
            }
            if (data == null) {
                throw new MalformedEventException(kinesisPath(index, ".data") + " is missing");
            }
            return new IncomingRecord(sequenceNumber, partitionKey, data, arrivalEpochMillis);
        }

        private String stringOrNull(int index, String field) throws IOException, MalformedEventException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                throw JsonFields.notAString(kinesisPath(index, field));
            }
            return token == JsonToken.VALUE_NULL ? null : parser.getText();
        }

        /**
         * Decoded from the parser's own characters: the base64 text is most of a record, and making
         * a String of it, which the decoder then copied to bytes again, was ~5 % of the CPU of
         * reading a replay's input (C1, 554 -> 528 ms). The decoder is the JDK's, so what counts as
         * base64 is unchanged.
         */
        private byte[] readBase64(int index) throws IOException, MalformedEventException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.VALUE_STRING) {
                throw JsonFields.notAString(kinesisPath(index, ".data"));
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            if (base64.length < length) {
                base64 = new byte[Math.max(length, base64.length * 2)];
            }
            byte[] text = base64;
            for (int i = 0; i < length; i++) {
                char c = chars[offset + i];
                if (c > 0x7f) {
                    throw notBase64(index);
                }
                text[i] = (byte) c;
            }
            try {
                ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(text, 0, length));
                byte[] bytes = decoded.array();
                return decoded.arrayOffset() == 0 && decoded.remaining() == bytes.length
                        ? bytes
                        : Arrays.copyOfRange(bytes, decoded.arrayOffset() + decoded.position(),
                                decoded.arrayOffset() + decoded.limit());
            } catch (IllegalArgumentException e) {
                throw notBase64(index);
            }
        }

        private static MalformedEventException notBase64(int index) {
            return new MalformedEventException(kinesisPath(index, ".data") + " is not base64");
        }

        /** Lambda writes epoch seconds with a fraction (1720742302.233); read it exactly, not as a double. */
        private long readEpochSecondsAsMillis(int index) throws IOException, MalformedEventException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new MalformedEventException(kinesisPath(index, ".approximateArrivalTimestamp")
                        + " is not a number (epoch seconds)");
            }
            try {
                BigDecimal seconds = parser.getDecimalValue();
                return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new MalformedEventException(kinesisPath(index, ".approximateArrivalTimestamp")
                        + " is out of range");
            }
        }

        private static String recordPath(int index) {
            return "Records[" + index + "]";
        }

        private static String kinesisPath(int index, String field) {
            return recordPath(index) + ".kinesis" + field;
        }
    }
}
