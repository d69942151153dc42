package dev.cdcrelay.deadletter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for S3 on 127.0.0.1 (ephemeral port) that records every request and answers with
 * the statuses it is told to, then 200. Enough S3 for PutObject: an ETag on success, an XML error
 * body on failure.
 */
final class RecordingS3Server implements AutoCloseable {

    /** One request as the server saw it; header names lower-cased. */
    record Request(String method, String rawPath, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> statuses = new ArrayDeque<>();

    RecordingS3Server() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests get these statuses, in order; after that, 200. */
    synchronized void respondWith(Integer... nextStatuses) {
        statuses.addAll(List.of(nextStatuses));
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));

        int status = nextStatus();
        exchange.getResponseHeaders().add("x-amz-request-id", "TESTREQUEST" + requests.size());
        if (status == 200) {
            exchange.getResponseHeaders().add("ETag", "\"" + md5Hex(body) + "\"");
            exchange.getResponseHeaders().add("x-amz-server-side-encryption", "AES256");
            exchange.sendResponseHeaders(200, -1);
        } else {
            String code = status == 403 ? "AccessDenied" : "InternalError";
            byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + code + " from the test server</Message><RequestId>TESTREQUEST</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, error.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(error);
            }
        }
        exchange.close();
    }

    private synchronized int nextStatus() {
        Integer status = statuses.poll();
        return status == null ? 200 : status;
    }

    private static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
