package dev.cdcrelay.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.cdcrelay.kinesis.IncomingRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One invocation of a stream handler as Lambda makes it: the records as the event JSON Lambda
 * sends ({@link KinesisRecords#lambdaEventJson}), the response JSON read back with AWS's own
 * serializer for {@link StreamsEventResponse}, so a response it could not read fails the test.
 */
public final class LambdaInvocations {

    private LambdaInvocations() {
    }

    public static StreamsEventResponse invoke(RequestStreamHandler handler, List<IncomingRecord> records,
                                              Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(KinesisRecords.lambdaEventJson(records)
                    .getBytes(StandardCharsets.UTF_8)), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PojoSerializer<StreamsEventResponse> serializer = LambdaEventSerializers.serializerFor(
                StreamsEventResponse.class, LambdaInvocations.class.getClassLoader());
        return serializer.fromJson(new ByteArrayInputStream(out.toByteArray()));
    }
}
