package dev.cdcrelay.stack.support;

import com.google.gson.Gson;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses the policy JSON the program produced, to assert on statements rather than on strings. */
public final class Policies {

    private Policies() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Object json) {
        return new Gson().fromJson((String) json, Map.class);
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> statements(Object json) {
        return (List<Map<String, Object>>) parse(json).get("Statement");
    }

    public static Optional<Map<String, Object>> statement(Object json, String sid) {
        return statements(json).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst();
    }

    @SuppressWarnings("unchecked")
    public static List<String> strings(Object value) {
        return value instanceof String single ? List.of(single) : (List<String>) value;
    }
}
