package dev.cdcrelay.stack;

import com.pulumi.test.PulumiTest;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cdcrelay.stack.CdcRelayStackTest.*;
import static dev.cdcrelay.stack.support.FakeAws.*;
import static dev.cdcrelay.stack.support.Policies.statement;
import static dev.cdcrelay.stack.support.Policies.statements;
import static dev.cdcrelay.stack.support.Policies.strings;
import static dev.cdcrelay.stack.support.StackRun.PREFIX;
import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Stacks configured with {@code tables}: what is shared once, what each table gets, and who may touch what. */
class ManyTablesStackTest {

    static final String TABLE_RELAY = TableRelay.TYPE;
    static final String BUCKET_ARN = "arn:aws:s3:::" + BUCKET_NAME;

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    static String tablePrefix(String name) {
        return PREFIX + "-" + name;
    }

    static String ownStreamArn(String name) {
        return arn("kinesis", "stream/" + tablePrefix(name) + "-changes" + AUTO_NAME_SUFFIX);
    }

    static String rolePolicy(StackRun run, String name) {
        return (String) run.inputs(ROLE_POLICY, tablePrefix(name) + "-function-permissions").get("policy");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(StackRun run, String name) {
        var function = run.inputs(FUNCTION, tablePrefix(name) + "-function");
        return (Map<String, String>) ((Map<String, Object>) function.get("environment")).get("variables");
    }

    /** Every resource the role's policy grants anything on, and every value its conditions hold it to. */
    static Set<String> grantedResources(String policy) {
        var named = new HashSet<String>();
        for (var statement : statements(policy)) {
            named.addAll(strings(statement.get("Resource")));
            if (statement.get("Condition") instanceof Map<?, ?> condition) {
                condition.values().forEach(test -> ((Map<?, ?>) test).values()
                        .forEach(value -> named.addAll(strings(value))));
            }
        }
        return named;
    }

    /** Every message of the run's failure and its causes. */
    static String failureMessage(StackRun run) {
        assertNotEquals(0, run.result().exitCode());
        assertFalse(run.result().exceptions().isEmpty());
        var text = new StringBuilder();
        for (Throwable failure : run.result().exceptions()) {
            for (var cause = failure; cause != null; cause = cause.getCause()) {
                text.append(cause.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    /** Tables the stack creates (existing ones are only read). */
    static List<String> newTables(StackRun run) {
        return run.registrations().stream().filter(r -> r.type().equals(TABLE) && !r.read())
                .map(r -> r.name()).toList();
    }

    /** Each role reads exactly its own stream, and writes dead letters only under its own prefix. */
    static void assertIsolated(StackRun run, List<String> names, Map<String, String> streamArns) {
        for (var name : names) {
            var policy = rolePolicy(run, name);
            var read = statement(policy, "ReadChangeStream").orElseThrow();
            assertEquals(List.of(streamArns.get(name)), strings(read.get("Resource")), name + " reads its own stream");
            var write = statement(policy, "WriteDeadLetters").orElseThrow();
            assertEquals(List.of(BUCKET_ARN + "/dead-letter/" + name + "/*"), strings(write.get("Resource")),
                    name + " writes only its own dead-letter prefix");
            var granted = grantedResources(policy);
            for (var other : names) {
                if (!other.equals(name)) {
                    assertFalse(granted.contains(streamArns.get(other)), name + "'s role must not name " + other
                            + "'s stream: " + policy);
                    assertFalse(granted.contains(BUCKET_ARN + "/dead-letter/" + other + "/*"),
                            name + "'s role must not write " + other + "'s dead letters");
                }
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ThreeTablesMixingNewAndExistingWithOverrides {

        static final List<String> NAMES = List.of("orders", "readings", "customers");
        static final String CUSTOMERS_TABLE = OTHER_EXISTING_TABLES + "customers";

        StackRun run;

        @BeforeAll
        void deploy() {
            var config = withTables(with(CREDENTIALS_ONLY, "alarmEmail", "oncall@example.com", "batchSize", "200",
                            "sinkConnections", "1"),
                    entry("name", "orders", "tableHashKey", "orderId", "tableHashKeyType", "N",
                            "cratedbTable", "doc.orders", "batchSize", "500", "ttlDeletes", "keep", "sinkConnections", "3",
                            "attributeTypes", "total:DOUBLE"),
                    entry("name", "readings", "existingTableName", EXISTING_TABLE,
                            "existingStreamArn", arn("kinesis", "stream/" + EXISTING_STREAM),
                            "cutOverTime", CUT_OVER_TIME, "cratedbTable", "doc.readings"),
                    entry("name", "customers", "existingTableName", CUSTOMERS_TABLE, "startingPosition", "LATEST",
                            "cratedbTable", "crm.customers"));
            run = StackRun.run(config, SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
            assertEquals(List.of(), run.result().errors());
        }

        @Test
        void oneRepositoryImageSecretQueueBucketAndTopicForTheStack() {
            assertEquals(List.of(PREFIX + "-function-image"), run.names(REPOSITORY));
            assertEquals(List.of(PREFIX + "-function-image"), run.names(IMAGE));
            assertEquals(List.of(PREFIX + "-cratedb-password"), run.names(SECRET));
            assertEquals(List.of(PREFIX + "-failed-batches"), run.names(QUEUE));
            // Besides each table's own backfill bucket.
            assertEquals(List.of(PREFIX + "-dead-letters"), run.names(BUCKET).stream()
                    .filter(name -> !name.endsWith("-bf-data")).toList());
            assertEquals(List.of(PREFIX + "-alarms"), run.names(TOPIC));
        }

        @Test
        void eachTableHasItsOwnRelayUnderItsOwnComponent() {
            assertEquals(Set.copyOf(NAMES.stream().map(ManyTablesStackTest::tablePrefix).toList()),
                    Set.copyOf(run.names(TABLE_RELAY)));
            for (var name : NAMES) {
                assertEquals(1, run.names(FUNCTION).stream().filter((tablePrefix(name) + "-function")::equals).count());
                assertEquals(1, run.names(FUNCTION).stream().filter((tablePrefix(name) + "-backfill")::equals).count());
                assertTrue(run.urns().contains("urn:pulumi:dev::dynamodb-cdc-relay::pulumi:pulumi:Stack$"
                        + CdcRelay.TYPE + "$" + TABLE_RELAY + "$cdcrelay:components:RelayFunction$" + FUNCTION + "::"
                        + tablePrefix(name) + "-function"), name);
            }
            // Each table's relay function, backfill function and backfill state machine have a role each.
            assertEquals(9, run.names(ROLE).size());
            assertEquals(3, run.names(MAPPING).size());
            assertEquals(List.of(tablePrefix("orders") + "-source"), newTables(run), "only orders is a new table");
            assertEquals(2, run.names(STREAM).size(), "readings keeps its existing stream");
            assertEquals(2, run.names(DESTINATION).size());
        }

        @Test
        void everyFunctionRunsTheOneImageByDigestAndMayPullIt() {
            var imageUri = REPOSITORY_URL + "@" + DIGEST;
            var functionArns = new ArrayList<String>();
            for (var name : NAMES) {
                assertEquals(imageUri, run.inputs(FUNCTION, tablePrefix(name) + "-function").get("imageUri"));
                assertEquals(imageUri, run.inputs(FUNCTION, tablePrefix(name) + "-backfill").get("imageUri"));
                functionArns.add(arn("lambda", "function:" + tablePrefix(name) + "-function"));
                functionArns.add(arn("lambda", "function:" + tablePrefix(name) + "-backfill"));
            }
            var access = run.inputs(REPOSITORY_POLICY, PREFIX + "-function-image-access").get("policy");
            var lambdaPull = statement(access, "LambdaECRImageRetrievalPolicy").orElseThrow();
            assertEquals(Map.of("StringLike", Map.of("aws:sourceArn", functionArns)), lambdaPull.get("Condition"));
        }

        @Test
        void rolesAreIsolatedFromEachOthersStreamsAndDeadLetters() {
            assertIsolated(run, NAMES, Map.of("orders", ownStreamArn("orders"),
                    "readings", arn("kinesis", "stream/" + EXISTING_STREAM),
                    "customers", ownStreamArn("customers")));
            // The shared pieces: every role sends to the one queue and reads the one password secret.
            for (var name : NAMES) {
                var policy = rolePolicy(run, name);
                assertEquals(List.of(QUEUE_ARN), strings(statement(policy, "ReportFailedBatches").orElseThrow()
                        .get("Resource")));
                assertEquals(List.of(SECRET_ARN), strings(statement(policy, "ReadCrateDbPassword").orElseThrow()
                        .get("Resource")));
            }
            assertTrue(statement(rolePolicy(run, "readings"), "DecryptChangeStream").isPresent(),
                    "readings' existing stream has a customer managed key");
            assertTrue(statement(rolePolicy(run, "orders"), "DecryptChangeStream").isEmpty());
        }

        @Test
        void eachFunctionWritesItsOwnSinkTableWithItsOwnOverrides() {
            var orders = environment(run, "orders");
            assertEquals("doc.orders", orders.get("CRATEDB_TABLE"));
            assertEquals("keep", orders.get("RELAY_TTL_DELETES"));
            assertEquals("3", orders.get("RELAY_SINK_CONNECTIONS"), "the entry's own value");
            assertEquals("total:DOUBLE", orders.get("RELAY_ATTRIBUTE_TYPES"));
            assertEquals("orderId:N", orders.get("RELAY_KEY_SCHEMA"));
            assertEquals("dead-letter/orders/", orders.get("RELAY_DEAD_LETTER_PREFIX"));
            assertEquals(BUCKET_NAME, orders.get("RELAY_DEAD_LETTER_BUCKET"));
            assertEquals(SECRET_ARN, orders.get("CRATEDB_PASSWORD_SECRET_ARN"));

            var customers = environment(run, "customers");
            assertEquals("crm.customers", customers.get("CRATEDB_TABLE"));
            assertEquals("delete", customers.get("RELAY_TTL_DELETES"));
            assertEquals("1", customers.get("RELAY_SINK_CONNECTIONS"), "the stack's default for every entry");
            assertFalse(customers.containsKey("RELAY_ATTRIBUTE_TYPES"));
            assertEquals("device:S,timestamp:S", customers.get("RELAY_KEY_SCHEMA"));
            assertEquals("dead-letter/customers/", customers.get("RELAY_DEAD_LETTER_PREFIX"));
            assertTrue(run.isSecretInput(FUNCTION, tablePrefix("customers") + "-function",
                    "environment.variables.CRATEDB_JDBC_URL"));
        }

        @Test
        void mappingsTakeTheStackDefaultUnlessTheEntryOverridesIt() {
            var orders = run.inputs(MAPPING, tablePrefix("orders") + "-changes-to-function");
            assertEquals(500, ((Number) orders.get("batchSize")).intValue());
            assertEquals("TRIM_HORIZON", orders.get("startingPosition"));
            var customers = run.inputs(MAPPING, tablePrefix("customers") + "-changes-to-function");
            assertEquals(200, ((Number) customers.get("batchSize")).intValue());
            assertEquals("LATEST", customers.get("startingPosition"));
            var readings = run.inputs(MAPPING, tablePrefix("readings") + "-changes-to-function");
            assertEquals(200, ((Number) readings.get("batchSize")).intValue());
            assertEquals("AT_TIMESTAMP", readings.get("startingPosition"));
            assertEquals(arn("kinesis", "stream/" + EXISTING_STREAM), readings.get("eventSourceArn"));
            assertEquals(QUEUE_ARN, ((Map<?, ?>) ((Map<?, ?>) readings.get("destinationConfig")).get("onFailure"))
                    .get("destinationArn"));
        }

        @Test
        void alarmsPerFunctionAndOnceForTheSharedQueueAllNotifyTheOneTopic() {
            var expected = new ArrayList<String>(List.of(PREFIX + "-failed-batches"));
            NAMES.forEach(name -> expected.addAll(List.of(tablePrefix(name) + "-iterator-age",
                    tablePrefix(name) + "-function-errors", tablePrefix(name) + "-replication-lag")));
            assertEquals(Set.copyOf(expected), Set.copyOf(run.names(ALARM)));
            var topicArn = arn("sns", PREFIX + "-alarms" + AUTO_NAME_SUFFIX);
            for (var alarm : expected) {
                assertEquals(List.of(topicArn), run.inputs(ALARM, alarm).get("alarmActions"), alarm);
            }
        }

        @Test
        void outputsMapEveryTableAndKeepTheSharedOnesFlat() {
            @SuppressWarnings("unchecked")
            var tables = (Map<String, Map<String, String>>) run.output("tables");
            assertEquals(List.of("orders", "readings", "customers"), List.copyOf(tables.keySet()));
            var readings = tables.get("readings");
            assertEquals(EXISTING_TABLE, readings.get("tableName"));
            assertEquals(arn("kinesis", "stream/" + EXISTING_STREAM), readings.get("streamArn"));
            assertEquals(arn("lambda", "function:" + tablePrefix("readings") + "-function"), readings.get("functionArn"));
            assertEquals("dead-letter/readings/", readings.get("deadLetterPrefix"));
            assertEquals(Set.of("tableName", "tableArn", "streamName", "streamArn", "functionName", "functionArn",
                    "roleArn", "logGroupName", "eventSourceMappingUuid", "dashboardUrl", "backfillStateMachineArn",
                    "backfillBucket", "backfillFunctionName", "deadLetterPrefix"), tables.get("orders").keySet());
            assertEquals(arn("states", "stateMachine:" + tablePrefix("readings") + "-backfill"),
                    readings.get("backfillStateMachineArn"));
            assertEquals(tablePrefix("readings") + "-backfill", readings.get("backfillFunctionName"));
            assertEquals(tablePrefix("readings") + "-bf-data" + AUTO_NAME_SUFFIX, readings.get("backfillBucket"));
            assertEquals("https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region=" + REGION
                    + "#dashboards:name=" + tablePrefix("orders") + "-relay", tables.get("orders").get("dashboardUrl"));
            assertEquals(QUEUE_ARN, run.output("failureQueueArn"));
            assertEquals(BUCKET_NAME, run.output("deadLetterBucketName"));
            assertEquals(REPOSITORY_URL + "@" + DIGEST, run.output("imageUri"));
            assertFalse(run.result().outputs().containsKey("tableName"), "no single table to name");
            assertFalse(run.result().outputs().containsKey("functionArn"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OneTableInTables {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(withTables(CREDENTIALS_ONLY,
                    entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders")), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void resourcesAreNamedAfterTheEntryAndTheSingleTableOutputsStay() {
            // Sorted: the mocks see resources in the order their inputs resolve, which varies.
            assertEquals(List.of(tablePrefix("orders") + "-backfill", tablePrefix("orders") + "-function"),
                    run.names(FUNCTION).stream().sorted().toList());
            assertEquals(arn("lambda", "function:" + tablePrefix("orders") + "-function"), run.output("functionArn"));
            assertEquals(ownStreamArn("orders"), run.output("streamArn"));
            @SuppressWarnings("unchecked")
            var tables = (Map<String, Map<String, String>>) run.output("tables");
            assertEquals(run.output("roleArn"), tables.get("orders").get("roleArn"));
            assertEquals("dead-letter/orders/", environment(run, "orders").get("RELAY_DEAD_LETTER_PREFIX"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TwentyTables {

        List<String> names = new ArrayList<>();
        StackRun run;

        @BeforeAll
        void deploy() {
            var entries = new ArrayList<Map<String, String>>();
            for (int i = 0; i < 20; i++) {
                var name = "t" + i;
                names.add(name);
                var entry = i % 4 == 3
                        ? entry("name", name, "existingTableName", OTHER_EXISTING_TABLES + name)
                        : entry("name", name, "tableHashKey", "id", "tableHashKeyType", i % 2 == 0 ? "S" : "N");
                entry.put("cratedbTable", "doc.relay_" + name);
                if (i % 5 == 0) {
                    entry.put("batchSize", String.valueOf(1000 + i));
                    entry.put("ttlDeletes", "keep");
                }
                if (i == 19) {
                    entry.put("existingTableName", EXISTING_TABLE);
                    entry.put("existingStreamArn", arn("kinesis", "stream/" + UNENCRYPTED_STREAM));
                    entry.put("cutOverTime", CUT_OVER_TIME);
                }
                entries.add(entry);
            }
            @SuppressWarnings("unchecked")
            var asArray = (Map<String, String>[]) entries.toArray(new Map[0]);
            run = StackRun.run(withTables(CREDENTIALS_ONLY, asArray), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void twentyRelaysOneImage() {
            assertEquals(1, run.names(IMAGE).size());
            assertEquals(1, run.names(REPOSITORY).size());
            assertEquals(1, run.names(QUEUE).size());
            assertEquals(40, run.names(FUNCTION).size(), "a relay and a backfill function per table");
            assertEquals(60, run.names(ROLE).size());
            assertEquals(20, run.names(MAPPING).size());
            assertEquals(15, newTables(run).size());
            assertEquals(19, run.names(STREAM).size(), "t19 reads its existing stream");
            @SuppressWarnings("unchecked")
            var tables = (Map<String, Map<String, String>>) run.output("tables");
            assertEquals(names, List.copyOf(tables.keySet()));
            assertEquals("doc.relay_t7", environment(run, "t7").get("CRATEDB_TABLE"));
            assertEquals(1005, ((Number) run.inputs(MAPPING, tablePrefix("t5") + "-changes-to-function")
                    .get("batchSize")).intValue());
            assertEquals("keep", environment(run, "t10").get("RELAY_TTL_DELETES"));
            assertEquals("delete", environment(run, "t11").get("RELAY_TTL_DELETES"));
        }

        @Test
        void everyRoleIsIsolatedFromTheOtherNineteen() {
            var streams = new HashMap<String, String>();
            names.forEach(name -> streams.put(name, ownStreamArn(name)));
            streams.put("t19", arn("kinesis", "stream/" + UNENCRYPTED_STREAM));
            assertIsolated(run, names, streams);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RunningSingleTableStackMovedToTables {

        StackRun run;

        @BeforeAll
        void deploy() {
            run = StackRun.run(withTables(with(CREDENTIALS_ONLY, "alarmEmail", "oncall@example.com"),
                    entry("name", "readings", "keepSingleTableNames", "true", "tableHashKey", "device",
                            "tableRangeKey", "timestamp", "cratedbTable", "doc.readings"),
                    entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders")), SECRET_KEYS);
            assertEquals(List.of(), run.result().exceptions(), "the program failed");
        }

        @Test
        void theKeptRelayAndTheNewOneAreIsolatedAndNotifyTheOneTopic() {
            var kept = (String) run.inputs(ROLE_POLICY, PREFIX + "-function-permissions").get("policy");
            assertEquals(List.of(STREAM_ARN), strings(statement(kept, "ReadChangeStream").orElseThrow().get("Resource")));
            assertEquals(List.of(BUCKET_ARN + "/dead-letter/readings/*"),
                    strings(statement(kept, "WriteDeadLetters").orElseThrow().get("Resource")),
                    "the kept relay moves to its own prefix, so it cannot write the new table's dead letters");
            assertFalse(grantedResources(kept).contains(ownStreamArn("orders")));
            assertFalse(grantedResources(rolePolicy(run, "orders")).contains(STREAM_ARN));

            var topicArn = arn("sns", PREFIX + "-alarms" + AUTO_NAME_SUFFIX);
            assertEquals(List.of(PREFIX + "-alarms"), run.names(TOPIC));
            for (var alarm : List.of(PREFIX + "-iterator-age", PREFIX + "-failed-batches",
                    tablePrefix("orders") + "-iterator-age")) {
                assertEquals(List.of(topicArn), run.inputs(ALARM, alarm).get("alarmActions"), alarm);
            }
            @SuppressWarnings("unchecked")
            var tables = (Map<String, Map<String, String>>) run.output("tables");
            assertEquals(arn("lambda", "function:" + FUNCTION_NAME), tables.get("readings").get("functionArn"));
            assertEquals(List.of("readings", "orders"), List.copyOf(tables.keySet()));
        }
    }

    /** What `pulumi up` would do when an entry is added (or, read backwards, removed): compare the two programs. */
    @Nested
    class AddingATable {

        @Test
        void onlyAddsTheNewTablesResourcesAndChangesOnlyTheRepositoryPolicy() {
            var orders = entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders");
            var readings = entry("name", "readings", "existingTableName", EXISTING_TABLE, "cratedbTable", "doc.readings");
            var customers = entry("name", "customers", "tableHashKey", "customerId", "cratedbTable", "crm.customers");
            var before = StackRun.run(withTables(CREDENTIALS_ONLY, orders, readings), SECRET_KEYS);
            var after = StackRun.run(withTables(CREDENTIALS_ONLY, customers, orders, readings), SECRET_KEYS);
            assertEquals(List.of(), after.result().exceptions(), "the program failed");

            assertTrue(after.urns().containsAll(before.urns()), "nothing of the two tables goes");
            var added = after.urns().stream().filter(urn -> !before.urns().contains(urn)).toList();
            assertTrue(added.stream().allMatch(urn -> urn.contains("$" + TABLE_RELAY)
                    && urn.substring(urn.lastIndexOf("::") + 2).startsWith(tablePrefix("customers"))), added.toString());

            var changed = new ArrayList<String>();
            for (var registration : before.registrations()) {
                var now = after.inputs(registration.type(), registration.name());
                if (!now.equals(registration.inputs())) {
                    changed.add(registration.type() + " " + registration.name());
                }
            }
            assertEquals(List.of(REPOSITORY_POLICY + " " + PREFIX + "-function-image-access"), changed,
                    "only the repository policy learns of the new function; the position in the list does not matter");
        }
    }

    @Nested
    class InvalidTables {

        @Test
        void collidingEntriesAreRejectedBeforeAnyResourceIsDeclared() {
            var orders = entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders");
            var run = StackRun.runExpectingFailure(withTables(CREDENTIALS_ONLY, orders,
                    with(orders, "cratedbTable", "orders")), SECRET_KEYS);
            assertEquals(List.of(), run.registrations(), "nothing may be declared");
            var message = failureMessage(run);
            assertTrue(message.contains("tables[1] (orders).name: 'orders' is also the name of tables[0] (orders)"),
                    message);
            assertTrue(message.contains("tables[1] (orders).cratedbTable: 'orders' is also written by tables[0]"
                    + " (orders)"), message);
        }
    }
}
