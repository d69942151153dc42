package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scenario suite against CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class CrateDbSinkTest extends SinkScenarios {

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }

    /**
     * A MODIFY of a row stored with an older change is replaced by revision, with no guard and no
     * tombstone look-up. A tombstone that covers the row and whose REMOVE stopped before deleting
     * it (stored here without the delete) therefore leaves the row until that REMOVE is delivered
     * again, which removes it: the REMOVE is not applied until its delete ran.
     */
    @Test
    void aNewerModifyIsReplacedByRevisionAndTheRemoveDeliveredAgainRemovesTheRow() throws Exception {
        Relay relay = relay();
        assertHandled(apply(relay, reading("rev", T0).set("t", 1)));
        IncomingRecord remove = record(removal("rev", T0 + 5_000));
        storeTombstoneOnly(remove);
        BatchResult modify = apply(relay, modified("rev", T0 + 1_000).set("t", 2));
        assertHandled(modify);
        // A catalog read (the first batch made a sub-column), the revision read, the update; a look-up
        // would have found the tombstone and removed the row.
        assertTrue(modify.writer().statements <= 3, "statements: " + modify.summary());
        assertEquals(0, BigDecimal.valueOf(2).compareTo(only(rows()).exactNumber("t")), "the row replaced in place");
        assertHandled(apply(relay, remove));
        assertTrue(rows().isEmpty(), "the REMOVE delivered again deletes the row");
    }

    /** A change delivered again finds its own row (equal version): guarded upsert and look-up. */
    @Test
    void aChangeDeliveredAgainTakesTheLookUpAndARemoveStoppedHalfWayCoversIt() throws Exception {
        Relay relay = relay();
        IncomingRecord insert = record(reading("again", T0).set("t", 1));
        assertHandled(apply(relay, insert));
        storeTombstoneOnly(record(removal("again", T0 + 5_000)));
        assertHandled(apply(relay, insert));
        assertTrue(rows().isEmpty(), "the look-up after the re-delivered write found the tombstone");
    }

    /**
     * The case the update by revision relies on re-delivery for: a row replaced in place while a
     * newer tombstone covers it goes when the change that created it is delivered again (its
     * write finds the row newer, takes the guarded upsert and the look-up, and undoes the row).
     */
    @Test
    void aRowReplacedByRevisionUnderATombstoneGoesWhenItsCreatorsChangeIsDeliveredAgain() throws Exception {
        Relay relay = relay();
        IncomingRecord create = record(reading("creator", T0).set("t", 1));
        assertHandled(apply(relay, create));
        storeTombstoneOnly(record(removal("creator", T0 + 5_000)));
        assertHandled(apply(relay, modified("creator", T0 + 1_000).set("t", 2)));
        assertEquals(0, BigDecimal.valueOf(2).compareTo(only(rows()).exactNumber("t")), "replaced in place");
        assertHandled(apply(relay, create));
        assertTrue(rows().isEmpty(), "the creator's change delivered again removed the covered row");
    }

    /**
     * MODIFYs of items the table does not hold (a replay or a backfill, whose INSERTs the batch
     * reduced away): rows the revision read finds absent take insert-if-absent, and once a chunk's
     * read finds most of its rows absent, the later chunks take it first. What they create is
     * still checked against the tombstones, in each chunk.
     */
    @Test
    void modifiesOfAbsentRowsAreInsertedAndStillCheckedAgainstTombstones() throws Exception {
        Relay relay = relay(Map.of("RELAY_ROWS_PER_BATCH", "2"));
        assertHandled(apply(relay, reading("held", T0).set("t", 0))); // the table has every sub-column after it
        storeTombstoneOnly(record(removal("gone-a", T0 + 5_000)));
        storeTombstoneOnly(record(removal("gone-b", T0 + 5_000)));
        storeTombstoneOnly(record(removal("gone-c", T0 + 5_000)));
        // Chunks of two, in batch order: [held, gone-a] (read finds one of two: updated, inserted),
        // [new-1, gone-b] (read finds none: both inserted), [new-2, gone-c] (inserted without a read).
        BatchResult batch = apply(relay, modified("held", T0 + 1_000).set("t", 1),
                modified("gone-a", T0 + 1_000).set("t", 1), modified("new-1", T0 + 1_000).set("t", 1),
                modified("gone-b", T0 + 1_000).set("t", 1), modified("new-2", T0 + 1_000).set("t", 1),
                modified("gone-c", T0 + 1_000).set("t", 1));
        assertHandled(batch);
        Map<String, SinkRow> rows = rows();
        assertEquals(Set.of("held", "new-1", "new-2"), rows.values().stream().map(r -> r.pk().get("device").asText())
                .collect(Collectors.toSet()), "rows a newer REMOVE covers went again");
        for (String device : List.of("held", "new-1", "new-2")) {
            assertEquals(0, BigDecimal.ONE.compareTo(byDevice(rows, device).exactNumber("t")), device);
        }
        assertEquals(3, batch.skipped(), "the covered MODIFYs are superseded: " + batch.summary());
    }

    /** The tombstone a relay stores for this REMOVE, in this test's table, and nothing else of it. */
    private void storeTombstoneOnly(IncomingRecord remove) throws Exception {
        String scratch = TestSinks.freshTable("sink-scratch");
        tablesCreated.add(scratch);
        Relay other = Relay.fromConfig(RelayConfig.fromEnvironment(TestSinks.env(url(), scratch)), logs::add);
        relays.add(other);
        assertHandled(apply(other, remove));
        try (Connection c = TestSinks.connect(url()); Statement st = c.createStatement()) {
            st.execute("REFRESH TABLE \"" + scratch + "_tombstones\"");
            assertEquals(1, st.executeUpdate("INSERT INTO \"" + table + "_tombstones\" (\"key\", \"version\", \"deleted_at\")"
                    + " SELECT \"key\", \"version\", \"deleted_at\" FROM \"" + scratch + "_tombstones\""));
        }
    }
}
