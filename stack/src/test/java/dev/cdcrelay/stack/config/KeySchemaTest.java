package dev.cdcrelay.stack.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class KeySchemaTest {

    @Test
    void lookedUpKeysTakeTheirTypesFromTheAttributeDefinitions() {
        var schema = KeySchema.of("device", Optional.of("timestamp"), Map.of("timestamp", "N", "device", "S", "x", "B"));
        assertEquals("device:S,timestamp:N", schema.format());
    }

    @Test
    void anEmptyRangeKeyMeansHashOnly() {
        assertEquals("id:B", KeySchema.of("id", Optional.of(""), Map.of("id", "B")).format());
    }

    @Test
    void aKeyWithoutDefinitionIsAnError() {
        var failure = assertThrows(IllegalStateException.class,
                () -> KeySchema.of("device", Optional.empty(), Map.of("other", "S")));
        assertTrue(failure.getMessage().contains("'device'"));
    }
}
