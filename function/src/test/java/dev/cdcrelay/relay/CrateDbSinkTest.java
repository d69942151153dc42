package dev.cdcrelay.relay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;

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
