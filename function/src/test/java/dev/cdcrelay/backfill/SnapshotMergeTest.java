package dev.cdcrelay.backfill;

import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SinkRow;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a backfilled item meets the stream in the sink, on embedded PostgreSQL: the snapshot version
 * decides, whichever arrives first.
 */
class SnapshotMergeTest {

    private static final SnapshotPoint POINT = SnapshotPoint.at(Instant.parse("2026-12-02T05:00:00Z"));
    private static final long V = POINT.versionMicros();

    private final KinesisRecords stream = new KinesisRecords(1_000);
    private String table;
    private Relay relay;
    private SnapshotLoader loader;

    @BeforeEach
    void relay() {
        table = TestSinks.freshTable("backfill-merge");
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), table));
        env.put("RELAY_KEY_SCHEMA", "id:S");
        RelayConfig config = RelayConfig.fromEnvironment(env);
        relay = Relay.fromConfig(config, line -> { });
        loader = new SnapshotLoader(relay, new SnapshotRecords(config.keySchema().orElseThrow().names(), POINT), 100);
    }

    @AfterEach
    void close() {
        relay.close();
    }

    private static String item(String id, String label) {
        return "{\"Item\":" + DynamoJson.item(Map.of("id", id, "label", label)) + "}";
    }

    private SourceOutcome backfill(String... lines) {
        Iterator<String> it = List.of(lines).iterator();
        return loader.load("data/test.json.gz", 0,
                () -> it.hasNext() ? Optional.of(it.next().getBytes(StandardCharsets.UTF_8)) : Optional.empty(), n -> { });
    }

    private void stream(ChangeJson change) {
        BatchResult r = relay.apply(List.of(stream.next(change)), Deadline.inMillis(60_000));
        assertTrue(r.fullyHandled(), r.summary());
    }

    private static ChangeJson modify(String id, String label, long micros) {
        return ChangeJson.modify().key("id", id).set("id", id).set("label", label).micros(micros);
    }

    private Map<String, String> labels() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (SinkRow row : SinkRow.readAll(TestSinks.postgresUrl(), table, false)) {
            out.put(row.pk().path("id").asText(), row.attribute("label").asText());
        }
        return out;
    }

    @Test
    void aStreamChangeAfterTheSnapshotVersionWinsWhicheverArrivesFirst() throws Exception {
        stream(modify("a", "stream", V + 1));
        assertTrue(backfill(item("a", "snapshot"), item("b", "snapshot")).clean());
        stream(modify("b", "stream", V));
        assertEquals(Map.of("a", "stream", "b", "stream"), labels(),
                "a change at the version's own microsecond is a real record, and real records sort above the snapshot");
    }

    @Test
    void aStreamChangeBeforeTheSnapshotVersionLosesWhicheverArrivesFirst() throws Exception {
        stream(modify("a", "older", V - 1));
        assertTrue(backfill(item("a", "snapshot"), item("b", "snapshot")).clean());
        stream(modify("b", "older", V - 1_000_000));
        assertEquals(Map.of("a", "snapshot", "b", "snapshot"), labels());
    }

    @Test
    void aDeleteAfterTheSnapshotVersionKeepsTheItemDeleted() throws Exception {
        stream(ChangeJson.remove().key("id", "a").micros(V + 1));
        SourceOutcome outcome = backfill(item("a", "snapshot"), item("b", "snapshot"));
        assertEquals(2, outcome.itemsLoaded(), "a superseded item counts as handled: " + outcome);
        stream(ChangeJson.remove().key("id", "b").micros(V + 1));
        assertEquals(Map.of(), labels());
    }

    @Test
    void anInvalidItemIsNamedByLineAndTheOthersAreLoaded() throws Exception {
        SourceOutcome outcome = backfill(item("a", "x"), "{\"Item\":{\"id\":{\"S\":\"b\"},\"n\":{\"N\":\"1e999\"}}}",
                "{\"Item\":{\"label\":{\"S\":\"no key\"}}}", item("d", "x"));
        assertEquals(4, outcome.itemsRead());
        assertEquals(2, outcome.itemsLoaded());
        assertEquals(2, outcome.problems().size(), outcome.problems().toString());
        assertTrue(outcome.problems().get(0).startsWith("data/test.json.gz line 3: the item lacks key attribute 'id'"),
                outcome.problems().get(0));
        assertTrue(outcome.problems().get(1).startsWith("data/test.json.gz line 2: not a valid DynamoDB item: NewImage.n: "),
                outcome.problems().get(1));
        assertEquals(Map.of("a", "x", "d", "x"), labels());
    }

    @Test
    void aSourceThatBreaksIsReportedWithTheLineItBrokeAfter() {
        List<String> lines = new ArrayList<>(List.of(item("a", "x"), item("b", "x")));
        Iterator<String> it = lines.iterator();
        SourceOutcome outcome = loader.load("data/broken.json.gz", 3, () -> {
            if (!it.hasNext()) {
                throw new ZipException("invalid block type");
            }
            return Optional.of(it.next().getBytes(StandardCharsets.UTF_8));
        }, n -> { });
        assertEquals(List.of("data/broken.json.gz after line 2: corrupt or truncated gzip (ZipException: invalid block type);"
                + " the items after it were not read"), outcome.problems());
        assertEquals(2, outcome.itemsLoaded());
    }
}
