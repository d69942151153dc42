package dev.cdcrelay.deadletter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cdcrelay.kinesis.JsonFields;
import dev.cdcrelay.kinesis.MalformedEventException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The {@code deadLetter} section of a dead-letter document: everything but the record itself. */
record DeadLetterDetails(String reason, String source, String eventId, Instant failedAt) {

    /** The section's name in the document, beside {@code Records}. */
    static final String SECTION = "deadLetter";

    /** Reads the section the parser stands on (a {@link dev.cdcrelay.kinesis.SectionReader}). */
    static DeadLetterDetails read(JsonParser parser) throws IOException, MalformedEventException {
        JsonFields.requireObject(parser, SECTION);
        String reason = null;
        String source = null;
        String eventId = null;
        Instant failedAt = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "reason" -> reason = JsonFields.stringOrNull(parser, SECTION + ".reason");
                case "source" -> source = JsonFields.stringOrNull(parser, SECTION + ".source");
                case "eventId" -> eventId = JsonFields.stringOrNull(parser, SECTION + ".eventId");
                case "failedAt" -> failedAt = readInstant(parser, SECTION + ".failedAt");
                default -> parser.skipChildren();
            }
        }
        if (reason == null) {
            throw new MalformedEventException(SECTION + ".reason is missing");
        }
        if (source == null || source.isBlank()) {
            throw new MalformedEventException(SECTION + ".source is missing");
        }
        if (failedAt == null) {
            throw new MalformedEventException(SECTION + ".failedAt is missing");
        }
        return new DeadLetterDetails(reason, source, eventId, failedAt);
    }

    private static Instant readInstant(JsonParser parser, String path) throws IOException, MalformedEventException {
        String text = JsonFields.stringOrNull(parser, path);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(path + " is not an ISO-8601 instant");
        }
    }
}
