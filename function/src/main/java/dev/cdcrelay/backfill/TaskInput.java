package dev.cdcrelay.backfill;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON object of a backfill task's input, read by member with a clear refusal naming the
 * member when it is missing or of the wrong kind: bad input to a task is never retried.
 */
public final class TaskInput {

    private final Map<String, Object> members;
    private final String where;

    public TaskInput(Map<String, Object> members, String where) {
        this.members = Map.copyOf(members);
        this.where = where;
    }

    /** The parsed object; refused when the value is not a JSON object. */
    @SuppressWarnings("unchecked")
    public static TaskInput of(Object json, String where) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new BackfillRefusedException(where + ": expected a JSON object");
        }
        return new TaskInput((Map<String, Object>) map, where);
    }

    public Map<String, Object> members() {
        return members;
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    public String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name, "a string"));
    }

    public Optional<String> optionalString(String name) {
        Object v = members.get(name);
        if (v != null && !(v instanceof String)) {
            throw wrong(name, "a string");
        }
        return Optional.ofNullable((String) v).filter(s -> !s.isBlank());
    }

    public long whole(String name, long min, long max) {
        return optionalWhole(name, min, max).orElseThrow(() -> missing(name, "a whole number"));
    }

    public Optional<Long> optionalWhole(String name, long min, long max) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Long n) || n < min || n > max) {
            throw wrong(name, "a whole number from " + min + " to " + max);
        }
        return Optional.of(n);
    }

    public Optional<Double> optionalPositive(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        double d = v instanceof Long n ? n : v instanceof BigDecimal n ? n.doubleValue() : -1;
        if (!(d > 0)) {
            throw wrong(name, "a positive number");
        }
        return Optional.of(d);
    }

    public boolean flag(String name) {
        Object v = members.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw wrong(name, "true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    public Instant instant(String name) {
        return optionalInstant(name).orElseThrow(() -> missing(name, "an ISO-8601 instant"));
    }

    public Optional<Instant> optionalInstant(String name) {
        Optional<String> text = optionalString(name);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw wrong(name, "an ISO-8601 instant such as 2026-12-02T05:00:00Z");
        }
    }

    public TaskInput object(String name) {
        return optionalObject(name).orElseThrow(() -> missing(name, "a JSON object"));
    }

    public Optional<TaskInput> optionalObject(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw wrong(name, "a JSON object");
        }
        return Optional.of(of(v, where + "." + name));
    }

    public List<?> list(String name) {
        Object v = members.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw wrong(name, "a JSON array");
        }
        return list;
    }

    private BackfillRefusedException missing(String name, String kind) {
        return new BackfillRefusedException(where + ": \"" + name + "\" is missing; expected " + kind);
    }

    private BackfillRefusedException wrong(String name, String kind) {
        return new BackfillRefusedException(where + ": \"" + name + "\" must be " + kind);
    }
}
