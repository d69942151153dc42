package dev.cdcrelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * S3 on 127.0.0.1 (ephemeral port), in memory, path-style, set up like the dead-letter tests'
 * {@code RecordingS3Server}: the JDK's HTTP server, no signature checks. Serves what replay and the
 * backfill use: ListObjectsV2 (in pages of {@code pageSize} keys, so paging is exercised), GetObject,
 * PutObject (an aws-chunked body decoded as S3 does), CopyObject and DeleteObject. Objects are put
 * with {@link #put} or by the code under test; every request is recorded.
 */
public final class InMemoryS3Server implements AutoCloseable {

    /** One request: method, decoded path, raw query. */
    public record Request(String method, String path, String query) {
    }

    private final HttpServer server;
    private final NavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>(); // "bucket/key"
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final int pageSize;
    private volatile int missingKeyStatus = 404;

    public InMemoryS3Server(int pageSize) throws IOException {
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void put(String bucket, String key, byte[] content) {
        objects.put(bucket + "/" + key, content);
    }

    /** Keys in the bucket, in order. */
    public List<String> keys(String bucket) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/"))
                .map(k -> k.substring(bucket.length() + 1)).toList();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * What a GetObject of a missing key answers: 404 NoSuchKey, or 403 AccessDenied as S3 does for a
     * caller whose s3:ListBucket grant does not apply to the request.
     */
    public void answerMissingKeysWith(int status) {
        missingKeyStatus = status;
    }

    /** The object's bytes, if there is one. */
    public Optional<byte[]> get(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath().substring(1); // "bucket" or "bucket/key"
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(new Request(exchange.getRequestMethod(), path, query));
        String copySource = exchange.getRequestHeaders().getFirst("x-amz-copy-source");
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                if (path.contains("/")) {
                    getObject(exchange, path);
                } else {
                    list(exchange, path, parameters(query));
                }
            }
            case "PUT" -> {
                if (copySource == null) {
                    putObject(exchange, path, body);
                } else {
                    copy(exchange, path, copySource);
                }
            }
            case "DELETE" -> {
                objects.remove(path);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> error(exchange, 405, "MethodNotAllowed");
        }
        exchange.close();
    }

    private void getObject(HttpExchange exchange, String path) throws IOException {
        byte[] content = objects.get(path);
        if (content == null) {
            error(exchange, missingKeyStatus, missingKeyStatus == 404 ? "NoSuchKey" : "AccessDenied");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(content)) + "\"");
        exchange.sendResponseHeaders(200, content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    private void putObject(HttpExchange exchange, String path, byte[] body) throws IOException {
        String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        String sha = String.valueOf(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
        boolean chunked = encoding.contains("aws-chunked") || sha.startsWith("STREAMING-");
        objects.put(path, chunked ? AwsChunkedBody.decode(body).content() : body);
        exchange.getResponseHeaders().add("ETag", "\"put\"");
        exchange.sendResponseHeaders(200, -1);
    }

    private void copy(HttpExchange exchange, String path, String copySource) throws IOException {
        String source = URLDecoder.decode(copySource.startsWith("/") ? copySource.substring(1) : copySource,
                StandardCharsets.UTF_8);
        byte[] content = objects.get(source);
        if (content == null) {
            error(exchange, 404, "NoSuchKey");
            return;
        }
        objects.put(path, content);
        xml(exchange, "<CopyObjectResult><LastModified>2026-12-02T00:00:00.000Z</LastModified>"
                + "<ETag>\"copied\"</ETag></CopyObjectResult>");
    }

    private void list(HttpExchange exchange, String bucket, Map<String, String> parameters) throws IOException {
        String prefix = parameters.getOrDefault("prefix", "");
        String after = parameters.getOrDefault("continuation-token", "");
        List<Map.Entry<String, byte[]>> page = new ArrayList<>();
        boolean truncated = false;
        for (Map.Entry<String, byte[]> e : objects.tailMap(bucket + "/" + prefix, true).entrySet()) {
            String key = e.getKey().substring(bucket.length() + 1);
            if (!e.getKey().startsWith(bucket + "/") || !key.startsWith(prefix)) {
                break;
            }
            if (key.compareTo(after) <= 0 && !after.isEmpty()) {
                continue;
            }
            if (page.size() == pageSize) {
                truncated = true;
                break;
            }
            page.add(Map.entry(key, e.getValue()));
        }
        StringBuilder body = new StringBuilder("<ListBucketResult><Name>").append(bucket).append("</Name><Prefix>")
                .append(escape(prefix)).append("</Prefix><KeyCount>").append(page.size())
                .append("</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>").append(truncated).append("</IsTruncated>");
        for (Map.Entry<String, byte[]> e : page) {
            body.append("<Contents><Key>").append(escape(e.getKey())).append("</Key><LastModified>")
                    .append("2026-12-02T00:00:00.000Z</LastModified><ETag>\"x\"</ETag><Size>")
                    .append(e.getValue().length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        if (truncated) {
            body.append("<NextContinuationToken>").append(escape(page.get(page.size() - 1).getKey()))
                    .append("</NextContinuationToken>");
        }
        xml(exchange, body.append("</ListBucketResult>").toString());
    }

    private static void xml(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange exchange, int status, String code) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + " from the test server</Message></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            parameters.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                    nameAndValue.length == 2 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
