package dev.cdcrelay.backfill.scan;

import dev.cdcrelay.backfill.BackfillRefusedException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentCheckpointTest {

    /** A checkpoint store in memory. */
    static final class Memory implements CheckpointStore {
        Optional<byte[]> saved = Optional.empty();

        @Override public Optional<byte[]> read() { return saved; }
        @Override public void write(byte[] checkpoint) { saved = Optional.of(checkpoint); }
        @Override public String describe() { return "memory"; }
    }

    private static final Instant T = Instant.parse("2026-12-02T08:00:00Z");
    private final SegmentCheckpoint segment = new SegmentCheckpoint("scan-1", "demo-source", 2, 4, T);

    @Test
    void aSegmentWithoutCheckpointStartsAtTheBeginning() {
        assertEquals(SegmentPosition.START, segment.load(new Memory()));
    }

    @Test
    void thePositionComesBackWithEveryKeyType() {
        Memory store = new Memory();
        Map<String, AttributeValue> key = Map.of("s", AttributeValue.fromS("a\"b"), "n", AttributeValue.fromN("-1.50"),
                "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 255})));
        SegmentPosition at = SegmentPosition.START.next(key, 1000, 998);
        segment.save(store, at);
        assertEquals(at, segment.load(store));
        assertEquals(SegmentPosition.START.next(key, 1000, 998).next(Map.of(), 5, 5).done(), true);
    }

    @Test
    void anotherScansCheckpointIsRefused() {
        Memory store = new Memory();
        new SegmentCheckpoint("scan-1", "demo-source", 2, 4, T.plusSeconds(1)).save(store, SegmentPosition.START);
        BackfillRefusedException e = assertThrows(BackfillRefusedException.class, () -> segment.load(store));
        assertTrue(e.getMessage().startsWith("scan checkpoint memory is of SegmentCheckpoint[scanId=scan-1, table=demo-source,"
                + " segment=2, totalSegments=4, snapshotTime=2026-12-02T08:00:01Z]"), e.getMessage());
        store.write("{\"scanId\": 7".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(BackfillRefusedException.class, () -> segment.load(store));
        assertTrue(e.getMessage().startsWith("scan checkpoint memory cannot be read: "), e.getMessage());
    }
}
