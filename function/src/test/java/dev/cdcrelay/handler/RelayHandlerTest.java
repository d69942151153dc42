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
import dev.cdcrelay.kinesis.KinesisEventReader;
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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler as Lambda drives it: the event JSON Lambda sends (base64 data, numeric
 * approximateArrivalTimestamp) in, the response JSON out. The handler reads and writes both itself
 * (a stream handler); these tests hold it to what AWS's own Lambda serializers read from the same
 * event and write for the same response.
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
        return in.fromJson(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)));
    }

    private static String serialize(StreamsEventResponse response) {
        PojoSerializer<StreamsEventResponse> out = LambdaEventSerializers.serializerFor(StreamsEventResponse.class,
                RelayHandlerTest.class.getClassLoader());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(response, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** One invocation through the stream entry point the runtime calls; the response's JSON. */
    private static String invoke(RelayHandler handler, String eventJson, Context context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSeedWalkthroughAsLambdaInvokesTheHandler() throws Exception {
        KinesisRecords kinesis = new KinesisRecords();
        List<IncomingRecord> records = List.of(kinesis.next(SeedRecords.insert()), kinesis.next(SeedRecords.modify()));
        String eventJson = KinesisRecords.lambdaEventJson(records);
        assertTrue(eventJson.contains("\"approximateArrivalTimestamp\":1"), "numeric arrival time in: " + eventJson);

        JsonNode response = JSON.readTree(invoke(handler(), eventJson, new FakeContext(60_000)));

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

        String response = invoke(handler(), KinesisRecords.lambdaEventJson(List.of(ok, poison, later)),
                new FakeContext(60_000));

        // No dead-letter destination configured: the poison record must be reported, not dropped.
        JsonNode failures = JSON.readTree(response).get("batchItemFailures");
        assertEquals(1, failures.size(), response);
        assertEquals(poison.sequenceNumber(), failures.get(0).get("itemIdentifier").asText());
        // Spelled as the runtime's serializer spells the same response.
        StreamsEventResponse same = new StreamsEventResponse();
        same.setBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(poison.sequenceNumber())));
        assertEquals(JSON.readTree(serialize(same)), JSON.readTree(response));
    }

    @Test
    void anEmptyEventIsAnEmptyResponse() throws Exception {
        String response = invoke(handler(), "{\"Records\":[]}", new FakeContext(1_000));
        assertEquals("{\"batchItemFailures\":[]}", response);
        StreamsEventResponse none = new StreamsEventResponse();
        none.setBatchItemFailures(List.of());
        assertEquals(JSON.readTree(serialize(none)), JSON.readTree(response));
    }

    @Test
    void theEventIsReadAsLambdasOwnSerializerReadsIt() throws Exception {
        // Partition keys with quotes and non-ASCII, empty data, and arrival times with and
        // without a fraction: the handler's reader and AWS's serializer must see the same records.
        List<IncomingRecord> records = List.of(
                new IncomingRecord("49654120000000000000000000000000000000000000000000000001", "pk \"1\" \u00e9",
                        SeedRecords.insert().toBytes(), 1720742302233L),
                new IncomingRecord("49654120000000000000000000000000000000000000000000000002", "",
                        new byte[0], 1720742303000L),
                new IncomingRecord("49654120000000000000000000000000000000000000000000000003", "k",
                        new byte[]{0, (byte) 0xff, 10, 13}, 1L));
        String eventJson = KinesisRecords.lambdaEventJson(records);
        List<IncomingRecord> read = KinesisEventReader.readRecords(eventJson.getBytes(StandardCharsets.UTF_8));
        List<KinesisEvent.KinesisEventRecord> theirs = deserialize(eventJson).getRecords();
        assertEquals(records.size(), read.size());
        assertEquals(records.size(), theirs.size());
        for (int i = 0; i < records.size(); i++) {
            KinesisEvent.Record k = theirs.get(i).getKinesis();
            byte[] data = new byte[k.getData().remaining()];
            k.getData().duplicate().get(data);
            IncomingRecord r = read.get(i);
            assertEquals(k.getSequenceNumber(), r.sequenceNumber(), "record " + i);
            assertEquals(k.getPartitionKey(), r.partitionKey(), "record " + i);
            assertArrayEquals(data, r.data(), "record " + i);
            assertEquals(k.getApproximateArrivalTimestamp().getTime(), r.arrivalEpochMillis(), "record " + i);
            assertArrayEquals(records.get(i).data(), r.data(), "record " + i);
        }
    }

    @Test
    void anInputThatIsNotAKinesisEventIsRefusedWithWhereAndNothingIsApplied() throws Exception {
        KinesisRecords kinesis = new KinesisRecords();
        String good = KinesisRecords.lambdaEventJson(List.of(kinesis.next(SeedRecords.insert())));
        // A DynamoDB Streams event has Records too, without "kinesis".
        String event = good.substring(0, good.length() - 2) + ",{\"eventSource\":\"aws:dynamodb\"}]}";
        RelayHandler handler = handler();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> invoke(handler, event, new FakeContext(1_000)));

        assertTrue(e.getMessage().contains("not a Kinesis event") && e.getMessage().contains("Records[1].kinesis"),
                e.getMessage());
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = '"
                     + table + "'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "the first, valid record must not be applied either");
        }
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
