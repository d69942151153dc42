package dev.cdcrelay.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmfDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-02T06:30:00.123Z");
    private static final MetricDimensions DIMENSIONS = new MetricDimensions("relay-fn", "doc.orders");

    private static InvocationMetrics everyMetric() {
        Map<RelayMetric, Long> values = new EnumMap<>(RelayMetric.class);
        long n = 1;
        for (RelayMetric m : RelayMetric.values()) {
            values.put(m, n++);
        }
        return new InvocationMetrics(values);
    }

    @Test
    void aDocumentWithEveryMetricMeetsTheSpecification() throws Exception {
        String line = EmfDocument.line(everyMetric(), DIMENSIONS, AT, Optional.of("req-1"));
        assertEquals(List.of(), EmfSpec.problems(line), line);

        JsonNode root = JSON.readTree(line);
        assertEquals(AT.toEpochMilli(), root.at("/_aws/Timestamp").asLong());
        JsonNode directive = root.at("/_aws/CloudWatchMetrics/0");
        assertEquals("CdcRelay", directive.get("Namespace").asText());
        assertEquals("[[\"FunctionName\",\"SinkTable\"]]", directive.get("Dimensions").toString());
        assertEquals("relay-fn", root.get("FunctionName").asText());
        assertEquals("doc.orders", root.get("SinkTable").asText());
        assertEquals("req-1", root.get("AWSRequestId").asText());
        List<String> declared = new ArrayList<>();
        directive.get("Metrics").forEach(m -> declared.add(m.get("Name").asText()));
        assertEquals(RelayMetric.values().length, declared.size());
        for (RelayMetric m : RelayMetric.values()) {
            assertTrue(declared.contains(m.metricName()), m + " not declared in " + line);
            assertEquals(m.ordinal() + 1L, root.get(m.metricName()).asLong(), m.metricName());
        }
        assertEquals("Milliseconds", directive.at("/Metrics/" + RelayMetric.REPLICATION_LAG.ordinal() + "/Unit").asText());
    }

    @Test
    void aMetricWithoutAValueIsNotDeclared() {
        Map<RelayMetric, Long> values = new EnumMap<>(RelayMetric.class);
        values.put(RelayMetric.RECORDS_RECEIVED, 0L);
        String line = EmfDocument.line(new InvocationMetrics(values), DIMENSIONS, AT, Optional.empty());
        assertEquals(List.of(), EmfSpec.problems(line), line);
        assertFalse(line.contains("ReplicationLag"), line);
        assertFalse(line.contains("AWSRequestId"), line);
    }

    @Test
    void dimensionValuesAreEscapedAsJson() {
        String line = EmfDocument.line(everyMetric(), new MetricDimensions("fn", "doc.\"odd\\name\""), AT,
                Optional.empty());
        assertEquals(List.of(), EmfSpec.problems(line), line);
    }

    @Test
    void metricNamesAreUniqueAndUnitsAreCloudWatchUnits() {
        List<String> names = new ArrayList<>();
        for (RelayMetric m : RelayMetric.values()) {
            assertFalse(names.contains(m.metricName()), "duplicate " + m.metricName());
            names.add(m.metricName());
            assertTrue(EmfSpec.UNITS.contains(m.unit().cloudWatchName()), m.unit().cloudWatchName());
            assertTrue(m.metricName().matches("[A-Za-z][A-Za-z0-9]{0,254}"), m.metricName());
        }
    }

    /** The checker itself catches each broken rule, so "no problems" above means something. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|_aws is missing",
            "{\"_aws\":{\"CloudWatchMetrics\":[]}}|Timestamp is missing",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[],\"Extra\":1}}|member the specification does not define: Extra",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Dimensions\":[],\"Metrics\":[]}]}}|Namespace is missing",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[[\"D\"]],\"Metrics\":[]}]}}|dimension \"D\" has no string value",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]}}|metric M has no number",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":\"1\"}|metric M has no number",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"ms\"}]}]},\"M\":1}|Unit \"ms\" is not a CloudWatch unit",
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\",\"StorageResolution\":5}]}]},\"M\":1}|StorageResolution must be 1 or 60",
            "x {}|not JSON",
    })
    void theCheckerCatchesEachBrokenRule(String document, String expected) {
        List<String> problems = EmfSpec.problems(document);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not in " + problems);
    }
}
