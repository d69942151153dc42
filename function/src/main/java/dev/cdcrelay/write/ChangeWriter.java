package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeRecord;

import java.util.Collection;
import java.util.Optional;

/** Writes the newest change of each item to the sink and says what became of each item. */
public interface ChangeWriter extends AutoCloseable {

    /** Writes the given changes (at most one per item) within the deadline. */
    WriteResult write(Collection<ChangeRecord> newestPerItem, Deadline deadline);

    /** The sink table (the metrics' table dimension). */
    TableName table();

    /** The dialect in use, once known (it is detected on first connect). */
    Optional<SinkDialect> dialect();

    @Override
    void close();
}
