package dev.cdcrelay.backfill;

import dev.cdcrelay.decode.ChangeDecoder;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * JSON lines from a stream, as bytes: one item per {@code \n}-terminated line (a final line without
 * the newline counts too). A line longer than {@link ChangeDecoder#MAX_RECORD_BYTES} is consumed to
 * its end and handed over cut at the limit plus one byte, so the caller rejects it by size and the
 * next line is read normally.
 */
public final class JsonLines implements ItemLines, Closeable {

    private static final int LIMIT = ChangeDecoder.MAX_RECORD_BYTES;

    private final InputStream in;
    private byte[] buffer = new byte[8 * 1024];
    private boolean ended;

    public JsonLines(InputStream in) {
        this.in = new BufferedInputStream(in, 64 * 1024);
    }

    @Override
    public Optional<byte[]> next() throws IOException {
        if (ended) {
            return Optional.empty();
        }
        int length = 0;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (length <= LIMIT) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(LIMIT + 1, buffer.length * 2));
                }
                buffer[length++] = (byte) b;
            }
        }
        if (b < 0) {
            ended = true;
            if (length == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(Arrays.copyOf(buffer, length));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
