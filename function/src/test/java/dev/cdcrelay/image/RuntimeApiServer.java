package dev.cdcrelay.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (version 2018-06-01) as the runtime interface client sees it, enough for
 * one function instance: {@code GET /runtime/invocation/next} hands out queued events,
 * {@code POST /runtime/invocation/{id}/response} and {@code .../error} record what the function
 * answered, {@code POST /runtime/init/error} records a failed start. Paths and headers as in
 * AWS's "Using the Lambda runtime API for custom runtimes".
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What the function sent back for one invocation, and when it arrived ({@link System#nanoTime}). */
    record Reply(String requestId, Kind kind, String body, long receivedNanos) {
        enum Kind { RESPONSE, ERROR }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final BlockingQueue<String[]> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> initErrors = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    RuntimeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread may sit in a long poll on /next while another takes the response.
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one invocation; the function picks it up with its next long poll. */
    void invoke(String requestId, String eventJson) {
        pending.add(new String[] {requestId, eventJson});
    }

    Optional<Reply> awaitReply(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    Optional<String> awaitInitError(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(initErrors.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                next(exchange);
            } else if (path.equals("init/error")) {
                initErrors.add(body);
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                replies.add(new Reply(requestId(path), Reply.Kind.RESPONSE, body, System.nanoTime()));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                replies.add(new Reply(requestId(path), Reply.Kind.ERROR, body, System.nanoTime()));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        String[] invocation = null;
        try {
            // Lambda holds the long poll until there is work; so does this, until closed.
            while (invocation == null && !closed) {
                invocation = pending.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            send(exchange, 500, "{\"errorMessage\":\"runtime API closed\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation[0]);
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:cdc-relay");
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        // Lambda sends it; without it client 2.10.1's native code crashed (SIGSEGV in NativeClient.next).
        headers.add("Content-Type", "application/json");
        send(exchange, 200, invocation[1]);
    }

    private static String requestId(String path) {
        return path.substring("invocation/".length(), path.lastIndexOf('/'));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
