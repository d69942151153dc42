package dev.cdcrelay.relay;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a relay does before its first batch when no key schema is configured. */
class RelayStartUpTest {

    private final String table = TestSinks.freshTable("startup");
    private final List<String> logs = new ArrayList<>();

    @AfterEach
    void dropTables() throws Exception {
        TestSinks.dropTables(TestSinks.postgresUrl(), table);
    }

    private Relay relay(Optional<ChangeRecord> firstChange) {
        return Relay.fromConfig(RelayConfig.fromEnvironment(TestSinks.env(TestSinks.postgresUrl(), table)),
                () -> firstChange, logs::add);
    }

    @Test
    void givenItsFirstChangeItPreparesTheTablesWithThatChangesKeysBeforeTheFirstBatch() throws Exception {
        KinesisRecords sequence = new KinesisRecords();
        var first = sequence.next(ChangeJson.insert().key("device", "d-1").key("at", 7).set("t", 1));
        ChangeRecord change = new ChangeDecoder().decode(first);

        try (Relay relay = relay(Optional.of(change))) {
            assertTrue(logs.contains("key schema inferred from the first record: [at, device]"), logs.toString());
            assertTrue(exists(table) && exists(table + "_tombstones"), "both tables, before any batch: " + logs);

            BatchResult result = relay.apply(List.of(first), Deadline.none());
            assertEquals(1, result.applied(), result.summary());
        }
    }

    @Test
    void withoutAFirstChangeTheFirstBatchNamesTheKeysAndMakesTheTables() throws Exception {
        try (Relay relay = relay(Optional.empty())) {
            assertFalse(exists(table), "nothing to name the key schema yet: " + logs);
            assertTrue(logs.stream().noneMatch(l -> l.startsWith("key schema")), logs.toString());
        }
    }

    private static boolean exists(String name) throws Exception {
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl());
             ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
            return rs.next();
        }
    }
}
