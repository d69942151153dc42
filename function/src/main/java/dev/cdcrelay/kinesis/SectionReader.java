package dev.cdcrelay.kinesis;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads one extra top-level field of an event document, for a caller whose documents carry more
 * than {@code Records} (see {@link KinesisEventReader#readOneDocument}). {@link JsonFields} has the
 * small field readers, so its messages read like the rest of the document's.
 */
@FunctionalInterface
public interface SectionReader<T> {

    /**
     * The section's value. The parser stands on the value's first token; the reader consumes the
     * whole value (up to its closing token) and leaves the parser there.
     */
    T read(JsonParser parser) throws IOException, MalformedEventException;
}
