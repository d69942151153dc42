package dev.cdcrelay.stack;

import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Today's single-table stacks keep every resource where it is: the URNs (type, parent chain and
 * name) of each shape are compared with the list recorded from the program before stacks could
 * relay several tables (src/test/resources/single-table-urns). A changed URN means `pulumi up` would
 * delete and recreate that resource (and the ones named after it) on every running stack.
 */
class SingleTableUrnsTest {

    static final Path GOLDEN = Path.of("src", "test", "resources", "single-table-urns");

    record Shape(String name, Map<String, String> config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape("new-table-email-alarms", with(NEW_TABLE, "alarmEmail", "oncall@example.com")),
                new Shape("existing-table-and-stream", EXISTING_TABLE_AND_STREAM),
                new Shape("existing-table-topic", with(NEW_TABLE, "tableHashKey", null, "tableRangeKey", null,
                        "existingTableName", dev.cdcrelay.stack.support.FakeAws.EXISTING_TABLE,
                        "alarmTopicArn", "arn:aws:sns:eu-central-1:123456789012:platform-alarms")),
                new Shape("prebuilt-image-password-in-environment", with(NEW_TABLE, "imageUri", PREBUILT_IMAGE,
                        "passwordDelivery", "environment")),
                new Shape("named-prefix", with(NEW_TABLE, "namePrefix", "relay-blue")));
    }

    /** The backfill's subtree, added to every relay: its URNs are new, never a moved old one. */
    static final String BACKFILL = "$cdcrelay:components:Backfill";

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void urnsAreTheOnesOfTheSingleTableProgram(Shape shape) throws IOException {
        var run = StackRun.run(shape.config(), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        var golden = GOLDEN.resolve(shape.name() + ".txt");
        if (Boolean.getBoolean("captureSingleTableUrns")) {
            Files.write(golden, run.urns().stream().filter(urn -> !urn.contains(BACKFILL)).toList());
        }
        assertEquals(Files.readAllLines(golden), run.urns().stream().filter(urn -> !urn.contains(BACKFILL)).toList());
        // The Backfill component, its FunctionLogs component and their 13 resources: the bucket and its five
        // settings, the log group, two roles with a policy each, the function and the state machine.
        assertEquals(15, run.urns().stream().filter(urn -> urn.contains(BACKFILL)).count());
    }

    /** With backfill.enabled false a stack is exactly the single-table program, nothing added. */
    @Test
    void withoutBackfillTheUrnsAreExactlyTheOldOnes() throws IOException {
        var run = StackRun.run(with(NEW_TABLE, "alarmEmail", "oncall@example.com", "backfill.enabled", "false"),
                SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        assertEquals(Files.readAllLines(GOLDEN.resolve("new-table-email-alarms.txt")), run.urns());
    }

    /**
     * A running single-table stack moved to {@code tables}: the entry with keepSingleTableNames keeps every
     * URN it had, and the added table only adds.
     */
    @Test
    void movingToTablesWithKeepSingleTableNamesKeepsEveryUrnAndOnlyAdds() throws IOException {
        var run = StackRun.run(withTables(with(CREDENTIALS_ONLY, "alarmEmail", "oncall@example.com"),
                entry("name", "readings", "keepSingleTableNames", "true", "tableHashKey", "device",
                        "tableRangeKey", "timestamp", "cratedbTable", "doc.readings"),
                entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders")), SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        var before = Files.readAllLines(GOLDEN.resolve("new-table-email-alarms.txt"));
        var after = run.urns();
        assertTrue(after.containsAll(before), "lost: " + before.stream().filter(urn -> !after.contains(urn)).toList());
        var added = after.stream().filter(urn -> !before.contains(urn)).toList();
        assertTrue(added.stream().filter(urn -> !urn.contains(BACKFILL))
                        .allMatch(urn -> urn.contains("$" + TableRelay.TYPE)
                                && urn.substring(urn.lastIndexOf("::") + 2).startsWith(StackRun.PREFIX + "-orders")),
                "only the orders relay is added: " + added);
        // The TableRelay and its 10 components with their 15 resources: table, stream, destination, log group,
        // role, role policy, function, mapping, three alarms, three saved queries and a dashboard; and the two
        // backfills (readings' own is new too).
        assertEquals(26, added.stream().filter(urn -> !urn.contains(BACKFILL)).count(), added.toString());
        assertEquals(2 * 15, added.stream().filter(urn -> urn.contains(BACKFILL)).count(), added.toString());
    }
}
