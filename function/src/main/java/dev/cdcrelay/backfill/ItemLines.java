package dev.cdcrelay.backfill;

import java.io.IOException;
import java.util.Optional;

/** The items of one snapshot source (an export data file, a Scan segment), one JSON line each. */
@FunctionalInterface
public interface ItemLines {

    /**
     * The next item's bytes, or empty at the end.
     *
     * @throws IOException when the source breaks (a corrupt gzip, a read error): the items before it
     *                     stay loaded, the source is reported as incomplete
     */
    Optional<byte[]> next() throws IOException;
}
