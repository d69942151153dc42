package dev.cdcrelay.write;

import java.util.List;

/**
 * A row as a primary-key read saw it.
 *
 * @param version  the version of the change the row holds
 * @param revision what a delete must name to remove exactly this state of the row and nothing
 *                 written after it: {@code _seq_no} and {@code _primary_term} on CrateDB; empty on
 *                 PostgreSQL, whose delete carries the version condition itself
 */
public record StoredRow(String version, List<Object> revision) {

    public StoredRow {
        revision = List.copyOf(revision);
    }

    boolean isNewerThan(String otherVersion) {
        return version.compareTo(otherVersion) > 0;
    }
}
