package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.TtlDeletes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** The {@code tables} list: how entries are read, and every check that names an entry. */
class TablesConfigTest {

    static final Map<String, String> ORDERS = entry("name", "orders", "tableHashKey", "orderId",
            "cratedbTable", "doc.orders");
    static final Map<String, String> READINGS = entry("name", "readings", "existingTableName", "sensor-readings",
            "cratedbTable", "doc.readings");

    private static RelayStackConfig parse(Map<String, String> config) {
        return RelayStackConfig.from(MapConfigSource.of(config, SECRET_KEYS), "dynamodb-cdc-relay", "dev");
    }

    private static List<String> problems(Map<String, String> config) {
        return assertThrows(InvalidConfigException.class, () -> parse(config)).problems();
    }

    @Test
    void entriesAreReadInOrderWithTheirOwnPrefixAndSink() {
        var config = parse(withTables(CREDENTIALS_ONLY, ORDERS, READINGS));
        assertTrue(config.namedTables());
        assertEquals(List.of(Optional.of("orders"), Optional.of("readings")),
                config.tables().stream().map(TableRelaySettings::name).toList());
        var orders = config.tables().get(0);
        assertEquals("dynamodb-cdc-relay-dev-orders", orders.resourcePrefix(config.namePrefix()));
        assertEquals("doc.orders", orders.sink().cratedbTable());
        assertEquals("dead-letter/orders/", orders.failures().deadLetterPrefix());
        assertEquals(new TableSettings.ExistingTable("sensor-readings"), config.tables().get(1).table());
        assertEquals("dead-letter/", config.failures().deadLetterPrefix(), "the bucket's prefix covers every table");
    }

    @Test
    void singleTableKeysAreOneUnnamedEntryNamedByThePrefixAlone() {
        var config = parse(NEW_TABLE);
        assertFalse(config.namedTables());
        assertEquals(1, config.tables().size());
        assertEquals("dynamodb-cdc-relay-dev", config.tables().get(0).resourcePrefix(config.namePrefix()));
        assertEquals("dead-letter/", config.tables().get(0).failures().deadLetterPrefix());
    }

    @Test
    void stackWideDefaultsApplyUnlessAnEntryOverridesThem() {
        var config = parse(withTables(with(CREDENTIALS_ONLY, "batchSize", "250", "ttlDeletes", "keep"),
                with(ORDERS, "batchSize", "10", "ttlDeletes", "delete"), READINGS));
        assertEquals(10, config.tables().get(0).mapping().batchSize());
        assertEquals(TtlDeletes.DELETE, config.tables().get(0).sink().ttlDeletes());
        assertEquals(250, config.tables().get(1).mapping().batchSize());
        assertEquals(TtlDeletes.KEEP, config.tables().get(1).sink().ttlDeletes());
    }

    @Test
    void numbersAndBooleansMayBeWrittenAsJsonValues() {
        var config = parse(with(CREDENTIALS_ONLY, "tables", "[{\"name\":\"orders\",\"tableHashKey\":\"id\","
                + "\"cratedbTable\":\"doc.orders\",\"batchSize\":42,\"tableDeletionProtection\":true}]"));
        assertEquals(42, config.tables().get(0).mapping().batchSize());
        assertTrue(((TableSettings.NewTable) config.tables().get(0).table()).deletionProtection());
    }

    @Test
    void aProblemInsideAnEntryNamesTheEntry() {
        assertEquals(List.of("tables[1] (readings).tableHashKey: is required; name the table's partition key,"
                        + " or set existingTableName"),
                problems(withTables(CREDENTIALS_ONLY, ORDERS, with(READINGS, "existingTableName", null))));
        assertEquals(List.of("tables[0] (orders).batchSize: must be from 1 to 10000, got 0"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "batchSize", "0"))));
    }

    @Test
    void duplicateNamesAreRefused() {
        assertEquals(List.of("tables[1] (orders).name: 'orders' is also the name of tables[0] (orders): names must"
                        + " be unique"),
                problems(withTables(CREDENTIALS_ONLY, ORDERS, with(ORDERS, "cratedbTable", "doc.orders_copy"))));
    }

    @Test
    void twoEntriesWritingOneSinkTableAreRefusedAlsoWhenOneOmitsTheDefaultSchema() {
        assertEquals(List.of("tables[1] (readings).cratedbTable: 'orders' is also written by tables[0] (orders):"
                        + " two relays into one table would overwrite each other's rows"),
                problems(withTables(CREDENTIALS_ONLY, ORDERS, with(READINGS, "cratedbTable", "orders"))));
        // Another schema, or another case (the function takes names as written), is another table.
        parse(withTables(CREDENTIALS_ONLY, ORDERS, with(READINGS, "cratedbTable", "archive.orders")));
    }

    @Test
    void twoEntriesReadingOneExistingTableAreRefused() {
        assertEquals(List.of("tables[1] (more).existingTableName: 'sensor-readings' is also relayed by tables[0]"
                        + " (readings): a table is relayed by one entry"),
                problems(withTables(CREDENTIALS_ONLY, READINGS,
                        with(READINGS, "name", "more", "cratedbTable", "doc.more"))));
    }

    @Test
    void namesThatWouldOverflowTheRoleNameAreRefusedWithTheLimit() {
        // dynamodb-cdc-relay-dev-<name>-function-<7 random> within IAM's 64: a name of at most 24 characters.
        var longest = "a".repeat(24);
        parse(withTables(CREDENTIALS_ONLY, with(ORDERS, "name", longest)));
        var tooLong = "a".repeat(25);
        assertEquals(List.of("tables[0] (" + tooLong + ").name: '" + tooLong + "' is too long: the role"
                        + " dynamodb-cdc-relay-dev-" + tooLong + "-function-<7 random> would exceed IAM's 64 characters;"
                        + " with namePrefix 'dynamodb-cdc-relay-dev' a name has at most 24 characters"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "name", tooLong))));
    }

    @Test
    void namesMustBeUsableInResourceNamesAndPresent() {
        assertEquals(List.of("tables[0] (Orders_2).name: 'Orders_2' must be lower-case letters, digits and single"
                        + " hyphens, starting with a letter (it becomes part of resource names and an S3 prefix)"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "name", "Orders_2"))));
        assertEquals(List.of("tables[0].name: is required: a short name for the table's relay, e.g. orders; it names"
                        + " the table's resources and its dead-letter prefix"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "name", null))));
    }

    @Test
    void unknownKeysInAnEntryAreRefused() {
        assertEquals(List.of("tables[0] (orders).functionMemoryMb: is not a per-table key; stack-wide settings stay"
                        + " outside tables (docs/deploy.md, \"Several tables in one stack\")"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "functionMemoryMb", "2048"))));
    }

    @Test
    void perTableKeysAtStackLevelAreRefusedWithTables() {
        assertEquals(List.of("cratedbTable: is set per table when tables is set: move it into the entries of tables",
                        "tableHashKey: is set per table when tables is set: move it into the entries of tables"),
                problems(withTables(with(CREDENTIALS_ONLY, "cratedbTable", "doc.readings", "tableHashKey", "device"),
                        ORDERS)).stream().sorted().toList());
    }

    @Test
    void tablesMustBeANonEmptyListOfObjects() {
        assertEquals(List.of("tables: must be a non-empty list of tables, each with name, its source and cratedbTable"
                + " (see docs/deploy.md)"), problems(with(CREDENTIALS_ONLY, "tables", "[]")));
        assertEquals(List.of("tables[0]: must be an object of per-table keys, got \"orders\""),
                problems(with(CREDENTIALS_ONLY, "tables", "[\"orders\"]")));
        assertEquals(List.of("tables[0].keys: must be a string, number or boolean, got [\"id\"]", "tables[0].name:"
                        + " is required: a short name for the table's relay, e.g. orders; it names the table's"
                        + " resources and its dead-letter prefix"),
                problems(with(CREDENTIALS_ONLY, "tables", "[{\"keys\":[\"id\"]}]")).subList(0, 2));
    }

    @Test
    void everyEntryIsCheckedInOnePass() {
        var problems = problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "batchSize", "0"),
                with(READINGS, "startingPosition", "SOMEWHERE"), with(ORDERS, "name", "third")));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("tables[0] (orders).batchSize"));
        assertTrue(problems.get(1).startsWith("tables[1] (readings).startingPosition"));
        assertTrue(problems.get(2).startsWith("tables[2] (third).cratedbTable: 'doc.orders' is also written by"
                + " tables[0] (orders)"));
    }

    @Test
    void oneEntryMayKeepTheSingleTableNamesButWritesUnderItsOwnPrefix() {
        var config = parse(withTables(CREDENTIALS_ONLY, with(READINGS, "keepSingleTableNames", "true"), ORDERS));
        var readings = config.tables().get(0);
        assertEquals(TableRelaySettings.Naming.SINGLE_TABLE, readings.naming());
        assertEquals("dynamodb-cdc-relay-dev", readings.resourcePrefix(config.namePrefix()));
        assertEquals("dead-letter/readings/", readings.failures().deadLetterPrefix());
        assertEquals("dynamodb-cdc-relay-dev-orders", config.tables().get(1).resourcePrefix(config.namePrefix()));

        assertEquals(List.of("tables[1] (orders).keepSingleTableNames: is also set on tables[0] (readings): only one"
                        + " relay can keep the single-table names"),
                problems(withTables(CREDENTIALS_ONLY, with(READINGS, "keepSingleTableNames", "true"),
                        with(ORDERS, "keepSingleTableNames", "true"))));
    }

    @Test
    void theFunctionsRulesCheckEachTablesEnvironmentNamingTheEntry() {
        assertEquals(List.of("tables[1] (readings).cratedbTable: 'sys.readings' is in CrateDB's read-only schema sys"),
                problems(withTables(CREDENTIALS_ONLY, ORDERS, with(READINGS, "cratedbTable", "sys.readings"))));
        assertEquals(List.of("tables[0] (orders).attributeTypes: 'orderId' is a key attribute; its type comes from"
                        + " RELAY_KEY_SCHEMA"),
                problems(withTables(CREDENTIALS_ONLY, with(ORDERS, "attributeTypes", "orderId:TEXT"), READINGS)));
    }

    @Test
    void aStackWideProblemIsReportedOnceHoweverManyTables() {
        assertEquals(List.of("cratedbJdbcUrl: must start with jdbc:postgresql:// or jdbc:crate://"),
                problems(withTables(with(CREDENTIALS_ONLY, "cratedbJdbcUrl", "https://crate.example.com"), ORDERS,
                        READINGS, with(ORDERS, "name", "third", "cratedbTable", "doc.third"))));
    }

    @Test
    void aStackThatBuildsItsImageRelaysAtMostFiftyTables() {
        var entries = new ArrayList<Map<String, String>>();
        for (int i = 0; i < 51; i++) {
            entries.add(entry("name", "t" + i, "tableHashKey", "id", "cratedbTable", "doc.t" + i));
        }
        @SuppressWarnings("unchecked")
        Map<String, String>[] fiftyOne = entries.toArray(new Map[0]);
        assertEquals(List.of("tables: lists 51 tables; a stack that builds its image relays at most 50: the repository"
                        + " policy names every function, and ECR policies stop at 10,240 characters (split the tables"
                        + " over stacks, or set imageUri)"),
                problems(withTables(CREDENTIALS_ONLY, fiftyOne)));
        assertEquals(51, parse(withTables(with(CREDENTIALS_ONLY, "imageUri", PREBUILT_IMAGE), fiftyOne)).tables().size());
        assertEquals(50, parse(withTables(with(CREDENTIALS_ONLY, "backfill.enabled", "false"),
                Arrays.copyOf(fiftyOne, 50))).tables().size());
    }

    /** Each backfill adds a function to the repository policy: half as many tables fit beside their backfills. */
    @Test
    void aStackThatBuildsItsImageBackfillsAtMostTwentyFiveTables() {
        var entries = new ArrayList<Map<String, String>>();
        for (int i = 0; i < 26; i++) {
            entries.add(entry("name", "t" + i, "tableHashKey", "id", "cratedbTable", "doc.t" + i));
        }
        @SuppressWarnings("unchecked")
        Map<String, String>[] twentySix = entries.toArray(new Map[0]);
        assertEquals(List.of("backfill.enabled: is true for 26 tables; a stack that builds its image and backfills"
                        + " relays at most 25: each table then has two functions in the repository policy, and ECR"
                        + " policies stop at 10,240 characters (set backfill.enabled false, split the tables over"
                        + " stacks, or set imageUri)"),
                problems(withTables(CREDENTIALS_ONLY, twentySix)));
        assertEquals(25, parse(withTables(CREDENTIALS_ONLY, Arrays.copyOf(twentySix, 25))).tables().size());
        assertEquals(26, parse(withTables(with(CREDENTIALS_ONLY, "imageUri", PREBUILT_IMAGE), twentySix)).tables()
                .size());
    }
}
