package dev.cdcrelay.stack.components;

import com.pulumi.test.PulumiTest;
import dev.cdcrelay.metrics.RelayMetric;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.cdcrelay.stack.support.FakeAws.AUTO_NAME_SUFFIX;
import static dev.cdcrelay.stack.support.FakeAws.REGION;
import static dev.cdcrelay.stack.support.StackRun.PREFIX;
import static dev.cdcrelay.stack.support.TestConfigs.NEW_TABLE;
import static dev.cdcrelay.stack.support.TestConfigs.SECRET_KEYS;
import static dev.cdcrelay.stack.support.TestConfigs.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard, the freshness alarm, the saved log queries and the function's log format, on the
 * mocks. The dashboard's and the alarm's relay metrics are checked against {@link RelayMetric}, the
 * list the function emits from (its tests check each invocation's EMF document declares exactly
 * those names): a graph of a metric the function does not emit fails here.
 */
class ObservabilityTest {

    static final String DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition";
    static final String FUNCTION = "aws:lambda/function:Function";
    static final String FUNCTION_NAME = PREFIX + "-function";
    static final String SINK_TABLE = "doc.readings"; // NEW_TABLE's cratedbTable, as the function spells it
    static final Set<String> EMITTED = Arrays.stream(RelayMetric.values()).map(RelayMetric::metricName)
            .collect(Collectors.toSet());

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    /** Every metric line of every widget: [namespace, name, dim, value, ..., {options}]. */
    @SuppressWarnings("unchecked")
    private static List<List<Object>> metricLines(StackRun run) {
        var body = (String) run.inputs(DASHBOARD, PREFIX + "-dashboard").get("dashboardBody");
        Map<String, Object> parsed = new Yaml().load(body); // JSON is YAML: a real parse of the body
        var lines = new ArrayList<List<Object>>();
        for (var widget : (List<Map<String, Object>>) parsed.get("widgets")) {
            var properties = (Map<String, Object>) widget.get("properties");
            assertEquals("metric", widget.get("type"));
            assertEquals(REGION, properties.get("region"), "every widget names its region");
            lines.addAll((List<List<Object>>) properties.get("metrics"));
        }
        return lines;
    }

    /** Dimension name to value of a metric line (the pairs after the namespace and name). */
    private static Map<String, Object> dimensions(List<Object> line) {
        var dims = new LinkedHashMap<String, Object>();
        for (int i = 2; i + 1 < line.size(); i += 2) {
            dims.put((String) line.get(i), line.get(i + 1));
        }
        return dims;
    }

    @Test
    void theDashboardGraphsExactlyTheMetricsTheFunctionEmitsWithItsDimensions() {
        var run = StackRun.run(NEW_TABLE, SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions());
        assertEquals(PREFIX + "-relay", run.inputs(DASHBOARD, PREFIX + "-dashboard").get("dashboardName"));

        var graphed = new TreeSet<String>();
        var aws = new TreeSet<String>();
        for (var line : metricLines(run)) {
            var namespace = (String) line.get(0);
            var name = (String) line.get(1);
            switch (namespace) {
                case RelayMetric.NAMESPACE -> {
                    assertTrue(EMITTED.contains(name), name + " is graphed but the function does not emit it");
                    assertEquals(Map.of(RelayMetric.FUNCTION_DIMENSION, FUNCTION_NAME,
                            RelayMetric.TABLE_DIMENSION, SINK_TABLE), dimensions(line), name);
                    graphed.add(name);
                }
                case "AWS/Lambda" -> {
                    assertEquals(Map.of("FunctionName", FUNCTION_NAME), dimensions(line), name);
                    aws.add(name);
                }
                case "AWS/SQS" -> {
                    assertEquals(Map.of("QueueName", PREFIX + "-failed-batches" + AUTO_NAME_SUFFIX), dimensions(line));
                    aws.add(name);
                }
                default -> throw new AssertionError("unexpected namespace " + namespace);
            }
        }
        assertEquals(new TreeSet<>(EMITTED), graphed, "every metric the function emits is on the dashboard");
        assertEquals(new TreeSet<>(List.of("ApproximateNumberOfMessagesVisible", "Errors", "IteratorAge", "Throttles")),
                aws);
        assertEquals("https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region=" + REGION
                + "#dashboards:name=" + PREFIX + "-relay", run.output("dashboardUrl"));
    }

    @Test
    void theReplicationLagAlarmReadsAnEmittedMetricWithTheDefaultOrConfiguredThreshold() {
        var run = StackRun.run(NEW_TABLE, SECRET_KEYS);
        var alarm = run.inputs(ALARM, PREFIX + "-replication-lag");
        assertEquals(RelayMetric.NAMESPACE, alarm.get("namespace"));
        assertTrue(EMITTED.contains((String) alarm.get("metricName")), String.valueOf(alarm.get("metricName")));
        assertEquals(RelayMetric.REPLICATION_LAG.metricName(), alarm.get("metricName"));
        assertEquals(Map.of("FunctionName", FUNCTION_NAME, "SinkTable", SINK_TABLE), alarm.get("dimensions"));
        assertEquals(300_000.0, ((Number) alarm.get("threshold")).doubleValue());
        assertEquals("Maximum", alarm.get("statistic"));
        assertEquals("notBreaching", alarm.get("treatMissingData"));
        PulumiTest.cleanup();

        var configured = StackRun.run(with(NEW_TABLE, "alarmReplicationLagMs", "60000", "alarmEmail", "oncall@example.com"),
                SECRET_KEYS);
        var lag = configured.inputs(ALARM, PREFIX + "-replication-lag");
        assertEquals(60_000.0, ((Number) lag.get("threshold")).doubleValue());
        assertEquals(List.of(String.valueOf(configured.output("alarmTopicArn"))), lag.get("alarmActions"),
                "notifies the same topic as the other alarms");
    }

    @Test
    void savedQueriesReadTheFunctionsLogGroupAndItsBatchLines() {
        var run = StackRun.run(NEW_TABLE, SECRET_KEYS);
        var names = new TreeSet<String>();
        for (var logical : run.names(QUERY)) {
            var query = run.inputs(QUERY, logical);
            names.add((String) query.get("name"));
            assertEquals(List.of("/aws/lambda/" + FUNCTION_NAME), query.get("logGroupNames"));
            assertTrue(((String) query.get("queryString")).contains("message = \"batch\""), logical);
        }
        assertEquals(new TreeSet<>(List.of(PREFIX + "/failed-batches", PREFIX + "/dead-lettered-records",
                PREFIX + "/replication-lag")), names);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFunctionLogsJsonAtTheConfiguredApplicationLevel() {
        var run = StackRun.run(NEW_TABLE, SECRET_KEYS);
        var logging = (Map<String, Object>) run.inputs(FUNCTION, PREFIX + "-function").get("loggingConfig");
        assertEquals(Map.of("logFormat", "JSON", "applicationLogLevel", "INFO", "systemLogLevel", "INFO"), logging);
        PulumiTest.cleanup();

        var debug = StackRun.run(with(NEW_TABLE, "functionLogLevel", "DEBUG"), SECRET_KEYS);
        var debugLogging = (Map<String, Object>) debug.inputs(FUNCTION, PREFIX + "-function").get("loggingConfig");
        assertEquals("DEBUG", debugLogging.get("applicationLogLevel"));
    }
}
