package dev.cdcrelay.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Undoes S3's {@code Content-Encoding: aws-chunked}, which the SDK uses to send a PutObject body
 * with a checksum trailer: {@code <hex size>;chunk-signature=...\r\n<bytes>\r\n} ... a zero-size
 * chunk, then {@code name:value\r\n} trailers. What S3 stores is the decoded bytes.
 */
public record AwsChunkedBody(byte[] content, Map<String, String> trailers) {

    public static AwsChunkedBody decode(byte[] wire) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int lineEnd = indexOfCrLf(wire, position);
            String header = new String(wire, position, lineEnd - position, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            position = lineEnd + 2;
            if (size == 0) {
                break;
            }
            content.write(wire, position, size);
            position += size + 2;
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        while (position < wire.length) {
            int lineEnd = indexOfCrLf(wire, position);
            String line = new String(wire, position, lineEnd - position, StandardCharsets.US_ASCII);
            position = lineEnd + 2;
            if (!line.isEmpty()) {
                String[] nameAndValue = line.split(":", 2);
                trailers.put(nameAndValue[0], nameAndValue[1]);
            }
        }
        return new AwsChunkedBody(content.toByteArray(), trailers);
    }

    private static int indexOfCrLf(byte[] wire, int from) {
        for (int i = from; i + 1 < wire.length; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF after byte " + from + ": not aws-chunked");
    }
}
