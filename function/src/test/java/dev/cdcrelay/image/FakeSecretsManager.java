package dev.cdcrelay.image;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server answering Secrets Manager's GetSecretValue (its JSON protocol) with one secret,
 * so the image's init reads its password through the real AWS SDK client, as it does in AWS.
 */
final class FakeSecretsManager implements AutoCloseable {

    static final String ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:relay-pw-AbCdEf";

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private FakeSecretsManager(String secretString) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            byte[] body = ("{\"ARN\":\"" + ARN + "\",\"Name\":\"relay-pw\",\"SecretString\":\"" + secretString + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Serves {@code secretString} (plain characters only: it is not JSON-escaped). */
    static FakeSecretsManager serving(String secretString) throws IOException {
        return new FakeSecretsManager(secretString);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
