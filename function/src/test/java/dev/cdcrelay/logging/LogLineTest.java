package dev.cdcrelay.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LogLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-02T06:30:00Z", "1970-01-01T00:00:00.001Z", "2026-02-28T23:59:59.999999999Z",
            "0999-01-09T01:02:03.040Z"})
    void timestampsAreRfc3339UtcWithMilliseconds(String instant) {
        Instant at = Instant.parse(instant);
        String written = LogLine.timestamp(at);
        assertEquals(24, written.length(), written);
        assertEquals(at.toEpochMilli(), OffsetDateTime.parse(written).toInstant().toEpochMilli(), written);
    }

    @Test
    void aLineIsOneJsonObjectInLambdasShapeWithItsFieldsInOrder() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("received", 3);
        fields.put("firstFailedSequence", Optional.empty());
        fields.put("lag", Optional.of(12L));
        fields.put("reasons", List.of("a \"quoted\"\nreason"));
        fields.put("ok", true);
        String line = LogLine.of(Instant.parse("2026-12-02T06:30:00.123Z"), LogLevel.WARN, "batch",
                Optional.of("req"), fields);

        assertFalse(line.contains("\n"), line);
        JsonNode node = JSON.readTree(line);
        assertEquals(List.of("timestamp", "level", "message", "AWSRequestId", "received", "lag", "reasons", "ok"),
                List.copyOf(iterable(node)));
        assertEquals("2026-12-02T06:30:00.123Z", node.get("timestamp").asText());
        assertEquals("WARN", node.get("level").asText());
        assertEquals(12, node.get("lag").asInt());
        assertEquals("a \"quoted\"\nreason", node.get("reasons").get(0).asText());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
