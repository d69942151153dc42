package dev.cdcrelay.backfill;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A task's JSON input read by member; JsonTree's values both ways. */
class TaskInputTest {

    private static TaskInput input(String json) {
        return TaskInput.of(JsonTree.parse(json, "input"), "input");
    }

    @Test
    void membersReadAsTheirKinds() {
        TaskInput in = input("{\"s\":\"x\",\"n\":7,\"d\":2.5,\"b\":true,\"t\":\"2026-12-02T08:00:00Z\",\"o\":{\"k\":1},\"a\":[1,null],\"z\":null}");
        assertEquals("x", in.string("s"));
        assertEquals(7, in.whole("n", 0, 10));
        assertEquals(Optional.of(2.5), in.optionalPositive("d"));
        assertEquals(true, in.flag("b"));
        assertEquals(Instant.parse("2026-12-02T08:00:00Z"), in.instant("t"));
        assertEquals(1, in.object("o").whole("k", 0, 1));
        assertEquals(List.of(1L), in.list("a"), "a null element is left out");
        assertEquals(false, in.has("z"), "a null member reads as absent");
    }

    @Test
    void aMissingOrWrongMemberIsRefusedByName() {
        TaskInput in = input("{\"n\":\"7\",\"t\":\"yesterday\",\"o\":{\"k\":-1}}");
        assertEquals("input: \"s\" is missing; expected a string",
                assertThrows(BackfillRefusedException.class, () -> in.string("s")).getMessage());
        assertEquals("input: \"n\" must be a whole number from 0 to 10",
                assertThrows(BackfillRefusedException.class, () -> in.whole("n", 0, 10)).getMessage());
        assertEquals("input: \"t\" must be an ISO-8601 instant such as 2026-12-02T05:00:00Z",
                assertThrows(BackfillRefusedException.class, () -> in.instant("t")).getMessage());
        assertEquals("input.o: \"k\" must be a whole number from 0 to 5",
                assertThrows(BackfillRefusedException.class, () -> in.object("o").whole("k", 0, 5)).getMessage());
        assertEquals("input: expected a JSON object",
                assertThrows(BackfillRefusedException.class, () -> TaskInput.of(List.of(), "input")).getMessage());
    }

    @Test
    void jsonThatIsNotJsonIsNamedWithoutQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonTree.parse("{\"secret-value", "the event"));
        assertEquals(true, e.getMessage().startsWith("the event: not JSON: "), e.getMessage());
        assertEquals(false, e.getMessage().contains("secret-value"), e.getMessage());
    }

    @Test
    void valuesWrittenAreReadBackTheSame() {
        Map<String, Object> value = Map.of("a", List.of("x", 1L, new BigDecimal("2.5"), true), "o", Map.of("k", "v"));
        assertEquals(value, JsonTree.parse(JsonTree.toJson(value), "round trip"));
    }
}
