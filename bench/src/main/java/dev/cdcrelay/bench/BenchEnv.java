package dev.cdcrelay.bench;

import dev.cdcrelay.testing.TestSinks;

import java.util.HashMap;
import java.util.Map;

/**
 * The relay's environment in a benchmark: {@link TestSinks#env}, plus every {@code RELAY_*}
 * variable of the benchmark's own environment, so that one run can measure the writer with other
 * settings (e.g. {@code RELAY_ROWS_PER_BATCH=10000}) without a rebuild. Tests never see these:
 * they call {@link TestSinks#env} directly.
 */
final class BenchEnv {

    private BenchEnv() {
    }

    static Map<String, String> relayEnv(String url, String table) {
        Map<String, String> env = new HashMap<>(TestSinks.env(url, table));
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("RELAY_")) {
                env.put(name, value);
            }
        });
        return env;
    }

    /** The RELAY_* settings taken from the environment, for the output's header; empty when none. */
    static String describe() {
        StringBuilder out = new StringBuilder();
        System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("RELAY_"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
        return out.toString();
    }
}
