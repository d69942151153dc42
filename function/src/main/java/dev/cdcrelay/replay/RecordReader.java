package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * The records of one input, one at a time: memory holds the record being read, never the input.
 * Closing it closes the input.
 */
interface RecordReader extends Closeable {

    /**
     * The next record, or empty at the end.
     *
     * @throws ReplayInput.InvalidInputException the content is not what replay reads; the message
     *                                           names the input, the place and the problem
     * @throws IOException                       the input could not be read (disk, network)
     */
    Optional<IncomingRecord> next() throws ReplayInput.InvalidInputException, IOException;
}
