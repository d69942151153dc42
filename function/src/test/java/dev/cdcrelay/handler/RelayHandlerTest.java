package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SeedRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler as Lambda drives it: the event JSON Lambda sends (base64 data, numeric
 * approximateArrivalTimestamp) deserialized by AWS's own Lambda serializers, and the response
 * serialized back the same way.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.cdcrelay.testing.ExpectedFailureOutput.class)
class RelayHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String table = TestSinks.freshTable("handler");
    private Relay relay;

    @AfterEach
    void close() {
        if (relay != null) {
            relay.close();
        }
    }

    private RelayHandler handler() {
        relay = Relay.fromConfig(RelayConfig.fromEnvironment(TestSinks.env(TestSinks.postgresUrl(), table)), s -> { });
        return new RelayHandler(relay);
    }

    private static KinesisEvent deserialize(String eventJson) {
        PojoSerializer<KinesisEvent> in = LambdaEventSerializers.serializerFor(KinesisEvent.class,
                RelayHandlerTest.class.getClassLoader());
        return in.fromJson(new ByteArrayInputStream(eventJson.getBytes()));
    }

    private static JsonNode serialize(StreamsEventResponse response) throws Exception {
        PojoSerializer<StreamsEventResponse> out = LambdaEventSerializers.serializerFor(StreamsEventResponse.class,
                RelayHandlerTest.class.getClassLoader());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(response, bytes);
        return JSON.readTree(bytes.toByteArray());
    }

    @Test
    void theSeedWalkthroughThroughLambdasOwnSerialization() throws Exception {
        KinesisRecords kinesis = new KinesisRecords();
        List<IncomingRecord> records = List.of(kinesis.next(SeedRecords.insert()), kinesis.next(SeedRecords.modify()));
        String eventJson = KinesisRecords.lambdaEventJson(records);
        assertTrue(eventJson.contains("\"approximateArrivalTimestamp\":1"), "numeric arrival time in: " + eventJson);

        KinesisEvent event = deserialize(eventJson);
        assertEquals(2, event.getRecords().size());
        JsonNode response = serialize(handler().handleRequest(event, new FakeContext(60_000)));

        assertEquals(0, response.get("batchItemFailures").size(), response.toString());
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pk::text, data::text FROM \"" + table + "\"")) {
            assertTrue(rs.next());
            JsonNode pk = JSON.readTree(rs.getString(1));
            JsonNode data = JSON.readTree(rs.getString(2));
            assertEquals("foo", pk.get("device").asText());
            assertEquals(0, new BigDecimal("43.59").compareTo(data.get("temperature").decimalValue()));
            assertFalse(rs.next(), "exactly one row");
        }
    }

    @Test
    void aPartialFailureNamesTheFirstRecordNotApplied() throws Exception {
        KinesisRecords kinesis = new KinesisRecords();
        IncomingRecord ok = kinesis.next(ChangeJson.insert().key("device", "a").key("timestamp", "t")
                .set("device", "a").set("timestamp", "t"));
        IncomingRecord poison = kinesis.next("{\"this is\": \"not a DynamoDB change\"}");
        IncomingRecord later = kinesis.next(ChangeJson.insert().key("device", "b").key("timestamp", "t")
                .set("device", "b").set("timestamp", "t"));
        KinesisEvent event = deserialize(KinesisRecords.lambdaEventJson(List.of(ok, poison, later)));

        JsonNode response = serialize(handler().handleRequest(event, new FakeContext(60_000)));

        // No dead-letter destination configured: the poison record must be reported, not dropped.
        assertEquals(1, response.get("batchItemFailures").size(), response.toString());
        assertEquals(poison.sequenceNumber(), response.get("batchItemFailures").get(0).get("itemIdentifier").asText());
    }

    @Test
    void anEmptyEventIsAnEmptyResponse() throws Exception {
        JsonNode response = serialize(handler().handleRequest(deserialize("{\"Records\":[]}"), new FakeContext(1_000)));
        assertEquals(0, response.get("batchItemFailures").size());
    }

    /** The parts of Lambda's context the handler reads: the remaining time. */
    static final class FakeContext implements Context {
        private final long deadlineNanos;

        FakeContext(long remainingMillis) {
            this.deadlineNanos = System.nanoTime() + remainingMillis * 1_000_000L;
        }

        @Override public String getAwsRequestId() { return "test-request"; }
        @Override public String getLogGroupName() { return "/aws/lambda/test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "test"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-central-1:123456789012:function:test"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) ((deadlineNanos - System.nanoTime()) / 1_000_000L); }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.println(message); }
                @Override public void log(byte[] message) { System.out.println(new String(message)); }
            };
        }
    }
}
