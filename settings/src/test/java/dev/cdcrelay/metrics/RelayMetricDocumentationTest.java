package dev.cdcrelay.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's metric table says what {@link RelayMetric} says: every metric, its unit and meaning. */
class RelayMetricDocumentationTest {

    // Tests run in settings/; the metric table is in docs/operations.md.
    static final Path README = Path.of("..", "docs", "operations.md");
    static final String SECTION = "## Metrics, logs and the dashboard";

    @Test
    void theReadmeListsEveryMetricWithItsUnitAndMeaningAndNoOther() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        for (RelayMetric m : RelayMetric.values()) {
            expected.put(m.metricName(), m.unit().cloudWatchName() + " | " + m.doc());
        }
        assertEquals(expected, documented());
    }

    @Test
    void namesAreUnique() {
        List<String> names = Arrays.stream(RelayMetric.values()).map(RelayMetric::metricName).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    /** Metric name to "unit | meaning", from the section's rows whose unit cell is a CloudWatch unit. */
    static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                inSection = line.equals(SECTION);
            } else if (inSection && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                String unit = cells[2].trim();
                if (Arrays.stream(RelayMetric.Unit.values()).anyMatch(u -> u.cloudWatchName().equals(unit))) {
                    rows.put(cells[1].trim().replace("`", ""), unit + " | " + cells[3].trim());
                }
            }
        }
        return rows;
    }
}
