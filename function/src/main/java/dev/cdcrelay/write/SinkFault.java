package dev.cdcrelay.write;

import java.util.Objects;

/**
 * A condition of the sink that no record caused and no retry in place can clear: the table is
 * blocked, missing or of another layout, the user may not write it or cannot log in. It names the
 * table, the exact problem and the fix, because the operator reads it in a log line with nothing
 * else to go on. Records that meet it are reported not applied (Lambda re-delivers them), never
 * dead-lettered.
 *
 * @param table    the sink table concerned
 * @param problem  what is wrong, with the server's own words where there are any
 * @param fix      what the operator does about it
 */
public record SinkFault(TableName table, String problem, String fix) {

    public SinkFault {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    /** One line for the log and the batch's reasons. */
    public String message() {
        return "sink fault on table " + table + ": " + problem + ". Fix: " + fix
                + ". Nothing was dead-lettered; the batch is re-delivered and applies once this is fixed";
    }

    @Override
    public String toString() {
        return message();
    }
}
