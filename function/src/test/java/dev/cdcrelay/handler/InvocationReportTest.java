package dev.cdcrelay.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.metrics.EmfSpecCheck;
import dev.cdcrelay.metrics.MetricDimensions;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.LambdaInvocations;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one invocation writes to stdout, through the handler and a real database: exactly one
 * valid EMF document whose replication lag follows from the records' change times and the
 * handler's clock, and one batch line in Lambda's JSON log shape. Run against embedded PostgreSQL
 * here and against CrateDB by {@link CrateDbInvocationReportTest}.
 */
class InvocationReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T06:30:00Z");

    private final String table = TestSinks.freshTable("report");
    private final List<String> out = new ArrayList<>();
    private Relay relay;

    @AfterEach
    void close() throws Exception {
        if (relay != null) {
            relay.close();
            TestSinks.dropTables(url(), table); // the relay created them; nothing left in a shared sink
        }
    }

    /** The sink's JDBC URL. */
    String url() {
        return TestSinks.postgresUrl();
    }

    private RelayHandler handler() {
        relay = Relay.fromConfig(RelayConfig.fromEnvironment(TestSinks.env(url(), table)), s -> { });
        InvocationReport report = new InvocationReport(new MetricDimensions("relay-fn", table),
                Clock.fixed(NOW, ZoneOffset.UTC));
        return new RelayHandler(relay, report, out::add);
    }

    private static ChangeJson item(String id, Instant changedAt) {
        return ChangeJson.insert().key("id", id).set("v", id).at(changedAt);
    }

    @Test
    void oneInvocationWritesOneValidEmfDocumentWithTheLagOfItsChanges() throws Exception {
        KinesisRecords kinesis = new KinesisRecords();
        List<IncomingRecord> batch = List.of(
                kinesis.next(item("a", NOW.minusMillis(9_000))),
                kinesis.next(item("b", NOW.minusMillis(3_000))),
                kinesis.next(item("a", NOW.minusMillis(1_000))), // supersedes a's first change in the batch
                kinesis.next("{\"this is\": \"not a DynamoDB change\"}"));

        LambdaInvocations.invoke(handler(), batch, new RelayHandlerTest.FakeContext(60_000));

        assertEquals(2, out.size(), "one metrics document and one batch line: " + out);
        String emf = out.get(0);
        assertEquals(List.of(), EmfSpecCheck.problems(emf), emf);
        JsonNode metrics = JSON.readTree(emf);
        assertEquals(4, metrics.get("RecordsReceived").asInt());
        assertEquals(2, metrics.get("RecordsApplied").asInt());
        assertEquals(1, metrics.get("RecordsSkipped").asInt(), "a's older change, superseded in the batch");
        assertEquals(1, metrics.get("RecordsFailed").asInt(), "no dead-letter destination: reported");
        // The items written are a@-1 s and b@-3 s: newest 1 s ago, oldest 3 s, mean 2 s.
        assertEquals(1_000, metrics.get("ReplicationLag").asLong());
        assertEquals(3_000, metrics.get("ReplicationLagMax").asLong());
        assertEquals(2_000, metrics.get("ReplicationLagAverage").asLong());
        assertEquals("relay-fn", metrics.get("FunctionName").asText());
        assertEquals(table, metrics.get("SinkTable").asText());
        assertEquals("test-request", metrics.get("AWSRequestId").asText());
        assertEquals(NOW.toEpochMilli(), metrics.at("/_aws/Timestamp").asLong());

        JsonNode line = JSON.readTree(out.get(1));
        assertEquals("2026-12-02T06:30:00.000Z", line.get("timestamp").asText());
        assertEquals("ERROR", line.get("level").asText(), "a record goes back to Lambda");
        assertEquals("batch", line.get("message").asText());
        assertEquals("test-request", line.get("AWSRequestId").asText());
        assertEquals(1, line.get("failed").asInt());
        assertEquals(batch.get(3).sequenceNumber(), line.get("firstFailedSequence").asText());
        assertEquals(1_000, line.get("replicationLagMillis").asLong());
        assertTrue(line.get("reasons").isArray() && line.get("reasons").size() == 1, line.toString());
    }

    @Test
    void aBatchThatAppliedNothingHasNoLagAndAnInfoLine() throws Exception {
        LambdaInvocations.invoke(handler(), List.of(), new RelayHandlerTest.FakeContext(1_000));

        assertEquals(2, out.size(), out.toString());
        assertEquals(List.of(), EmfSpecCheck.problems(out.get(0)), out.get(0));
        assertFalse(out.get(0).contains("ReplicationLag"), out.get(0));
        JsonNode line = JSON.readTree(out.get(1));
        assertEquals("INFO", line.get("level").asText());
        assertFalse(line.has("replicationLagMillis"), line.toString());
        assertFalse(line.has("firstFailedSequence"), line.toString());
    }
}
