package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.plan.PlannedRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory of deletes: per item, the newest REMOVE version applied. A REMOVE writes its
 * tombstone before it deletes the row; every row this writer creates or overwrites is checked
 * against the tombstones afterwards and removed again if one covers it. Between the two, no
 * interleaving with another writer leaves a covered row behind (docs/proof.md, "Concurrent
 * writers").
 */
final class Tombstones {

    /** Tombstone keys per lookup (one literal on CrateDB, bound parameters on PostgreSQL). */
    private static final int LOOKUP_CHUNK = 1000;

    private final SinkTables tables;
    private final Attempt attempt;

    Tombstones(SinkTables tables, Attempt attempt) {
        this.tables = tables;
        this.attempt = attempt;
    }

    /** Records each delete's version unless a newer one is there; rowcount 1 per stored tombstone. */
    int[] record(List<PlannedRow.Delete> deletes) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        return BatchStatements.execute(attempt, tables.dialect().tombstoneUpsertSql(tables.tombstones()), deletes,
                (ps, d) -> {
                    ps.setString(1, d.key().canonical());
                    ps.setString(2, d.version());
                    ps.setTimestamp(3, now);
                });
    }

    /**
     * For rows just written: removes again every row whose item has a tombstone as new as its
     * version or newer (a late older change, or a REMOVE that ran beside the write), unless the
     * row meanwhile holds a change newer than that tombstone. Returns the fate of each covered
     * row; rows missing from the answer are not covered and stay.
     */
    Map<ItemKey, GuardedDelete.Fate> removeCovered(List<PlannedRow.Upsert> written) throws SQLException {
        if (written.isEmpty()) {
            return Map.of();
        }
        Map<String, String> deletedAt = lookup(written);
        List<PlannedRow.Delete> covered = new ArrayList<>();
        for (PlannedRow.Upsert u : written) {
            String tomb = deletedAt.get(u.key().canonical());
            if (tomb != null && tomb.compareTo(u.version()) >= 0) {
                covered.add(new PlannedRow.Delete(u.key(), u.change(), u.keyValues(), tomb));
            }
        }
        return covered.isEmpty() ? Map.of() : new GuardedDelete(tables, attempt).apply(covered);
    }

    private Map<String, String> lookup(List<PlannedRow.Upsert> rows) throws SQLException {
        Map<String, String> versions = new HashMap<>();
        for (int from = 0; from < rows.size(); from += LOOKUP_CHUNK) {
            List<String> keys = new ArrayList<>();
            for (PlannedRow.Upsert u : rows.subList(from, Math.min(rows.size(), from + LOOKUP_CHUNK))) {
                keys.add(u.key().canonical());
            }
            try (PreparedStatement ps = tables.dialect().prepareTombstoneLookup(attempt.connection(),
                    tables.tombstones(), keys)) {
                ps.setQueryTimeout(attempt.timeoutSeconds());
                attempt.counters().statements++;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return versions;
    }
}
