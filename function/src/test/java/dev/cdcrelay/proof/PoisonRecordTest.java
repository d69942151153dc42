package dev.cdcrelay.proof;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdcrelay.handler.RelayHandler;
import dev.cdcrelay.relay.BatchResult;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.replay.ReplayInput;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.LambdaInvocations;
import dev.cdcrelay.testing.TestSinks;
import dev.cdcrelay.write.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Poison records never block a shard: they are parked with payload and reason, the rest is applied. */
class PoisonRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        ProofJvm.driverAssertionsOff();
    }

    private static final long T0 = 1_720_742_302_233_719L;
    private static long nextIndex = 700_000_000L;

    @TempDir
    Path dir;
    final List<Relay> relays = new ArrayList<>();
    final List<String> logs = new ArrayList<>();

    @AfterEach
    void close() {
        relays.forEach(Relay::close);
    }

    private Relay relay(String table, Path deadLetters) {
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), table));
        if (deadLetters != null) {
            env.put("RELAY_DEAD_LETTER_DIR", deadLetters.toString());
        }
        Relay r = Relay.fromConfig(RelayConfig.fromEnvironment(env), logs::add);
        relays.add(r);
        return r;
    }

    private static IncomingRecord record(byte[] data) {
        return new IncomingRecord(KinesisRecords.sequenceNumber(nextIndex++), "pk", data, 0);
    }

    static byte[] withoutKeys() throws Exception {
        ChangeJson c = ChangeJson.insert().key("id", "nokeys").set("s", "x").micros(T0);
        ObjectNode tree = (ObjectNode) JSON.readTree(c.toBytes());
        ((ObjectNode) tree.get("dynamodb")).remove("Keys");
        return JSON.writeValueAsBytes(tree);
    }

    static byte[] hugeKey() {
        Random random = new Random(7);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            huge.append((char) ('a' + random.nextInt(26)));
        }
        return ChangeJson.insert().key("id", huge.toString()).set("t", 1).micros(T0).toBytes();
    }

    /** Named poison payloads: each can never be applied, whatever a retry does. */
    static Map<String, byte[]> poison() throws Exception {
        Map<String, byte[]> p = new LinkedHashMap<>();
        byte[] random = new byte[64];
        new Random(3).nextBytes(random);
        p.put("arbitrary bytes", random);
        p.put("invalid JSON", "{not json".getBytes(StandardCharsets.UTF_8));
        p.put("not a DynamoDB change", "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
        p.put("unknown eventName", ChangeJson.withEventName("UPSERT").key("id", "ev").set("s", "x").micros(T0).toBytes());
        p.put("missing Keys", withoutKeys());
        p.put("empty", new byte[0]);
        p.put("rejected by the database (40,000-char key)", hugeKey());
        return p;
    }

    private static IncomingRecord good(String id, int n, Map<String, Map<String, Object>> truth) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("s", "ok " + n);
        item.put("n", BigDecimal.valueOf(n));
        ChangeJson c = ChangeJson.insert().key("id", id).micros(T0 + n);
        item.forEach(c::set);
        truth.put(id, item);
        return record(c.toBytes());
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Test
    void poisonIsDeadLetteredWithPayloadAndReasonAndTheRestIsApplied() throws Exception {
        String table = TestSinks.freshTable("poison");
        Path letters = dir.resolve("letters");
        Relay relay = relay(table, letters);
        Map<String, Map<String, Object>> truth = new TreeMap<>();
        Map<String, byte[]> poison = poison();
        List<IncomingRecord> batch = new ArrayList<>();
        Map<String, String> poisonBySequence = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, byte[]> e : poison.entrySet()) {
            batch.add(good("g" + n, n, truth));
            n++;
            IncomingRecord bad = record(e.getValue());
            poisonBySequence.put(bad.sequenceNumber(), e.getKey());
            batch.add(bad);
        }
        batch.add(good("g" + n, n, truth));

        BatchResult r = relay.apply(batch, Deadline.inMillis(30_000));
        assertTrue(r.fullyHandled(), r.summary());
        assertEquals(poison.size(), r.deadLettered(), r.summary());
        assertEquals(List.of(), ConvergenceHarness.differences(truth,
                ConvergenceHarness.rows(TestSinks.postgresUrl(), table, false)));

        // Each letter: the exact payload back, and a reason.
        List<Path> written = files(letters);
        assertEquals(poison.size(), written.size(), written.toString());
        Set<String> seen = new TreeSet<>();
        for (Path f : written) {
            JsonNode doc = JSON.readTree(f.toFile());
            String reason = doc.path("deadLetter").path("reason").asText();
            assertFalse(reason.isBlank(), f + " has no reason");
            List<IncomingRecord> back = ReplayInput.read(f);
            assertEquals(1, back.size());
            String kind = poisonBySequence.get(back.get(0).sequenceNumber());
            assertTrue(kind != null, "a letter for a record that was not poison: " + back.get(0).sequenceNumber());
            assertTrue(Arrays.equals(poison.get(kind), back.get(0).data()), kind + ": payload not kept exactly");
            seen.add(kind);
            System.out.println("[proof] dead letter for " + kind + ": " + reason);
        }
        assertEquals(new TreeSet<>(poison.keySet()), seen);

        // Replaying the letters does not lose them: each is dead-lettered again, nothing else happens.
        Path again = dir.resolve("again");
        Relay replay = relay(table, again);
        List<IncomingRecord> replayed = ReplayInput.read(letters);
        BatchResult rr = replay.apply(replayed, Deadline.inMillis(30_000));
        assertTrue(rr.fullyHandled(), rr.summary());
        assertEquals(poison.size(), rr.deadLettered(), rr.summary());
        assertEquals(poison.size(), files(again).size());

        // Without a dead-letter destination the same records are reported, never silently dropped.
        BatchResult unparked = relay(table, null).apply(replayed, Deadline.inMillis(30_000));
        assertFalse(unparked.fullyHandled());
        assertEquals(replayed.get(0).sequenceNumber(), unparked.firstFailedSequence().orElseThrow());
        assertEquals(poison.size(), unparked.failed(), unparked.summary());

        ProofFigures.report("poison/relay", "poisonKinds=" + poison.size() + " isolated=" + r.deadLettered()
                + " goodApplied=" + r.applied() + " replayedAndReIsolated=" + rr.deadLettered() + " lost=0");
    }

    @Test
    void arbitraryBytesInALambdaEventDoNotBlockTheShard() throws Exception {
        String table = TestSinks.freshTable("poison-handler");
        Path letters = dir.resolve("letters");
        RelayHandler handler = new RelayHandler(relay(table, letters));
        Map<String, Map<String, Object>> truth = new TreeMap<>();
        byte[] garbage = new byte[300];
        new Random(99).nextBytes(garbage);
        List<IncomingRecord> records = List.of(good("h1", 1, truth), record(garbage),
                record("\u00ff\u00fe not base64-decodable text".getBytes(StandardCharsets.ISO_8859_1)), good("h2", 2, truth));
        StreamsEventResponse response = LambdaInvocations.invoke(handler, records,
                LambdaEvents.context(Deadline.inMillis(30_000)));
        assertTrue(response.getBatchItemFailures().isEmpty(), "the shard is blocked");
        assertEquals(2, files(letters).size());
        assertEquals(List.of(), ConvergenceHarness.differences(truth,
                ConvergenceHarness.rows(TestSinks.postgresUrl(), table, false)));
        ProofFigures.report("poison/handler", "arbitraryBytesRecords=2 isolated=2 lost=0");
    }
}
