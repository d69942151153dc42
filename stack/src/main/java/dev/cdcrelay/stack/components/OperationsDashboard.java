package dev.cdcrelay.stack.components;

import com.pulumi.aws.cloudwatch.Dashboard;
import com.pulumi.aws.cloudwatch.DashboardArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.metrics.RelayMetric;
import dev.cdcrelay.stack.policy.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudWatch dashboard that answers "how far behind are we, and why?": replication lag first,
 * then throughput, what became of the records, durations and retries, and AWS's own signs (iterator
 * age, errors, throttles, the failure queue). The relay's graphs read the metrics the function
 * emits, named by {@link RelayMetric}, the same constants the function writes them with.
 */
public final class OperationsDashboard extends ComponentResource {

    private static final int PERIOD_SECONDS = 60;

    /** The console URL of the dashboard. */
    public final Output<String> url;

    /**
     * @param functionName the function (also the metrics' FunctionName dimension)
     * @param functionArn  read for the region the dashboard lives in
     * @param sinkTable    the metrics' SinkTable dimension, spelled as the function spells it
     */
    public OperationsDashboard(String prefix, Output<String> functionName, Output<String> functionArn,
                               String sinkTable, Output<String> failureQueueName, int replicationLagAlarmMs,
                               Resource parent) {
        super("cdcrelay:components:OperationsDashboard", prefix + "-dashboard", ChildOptions.component(parent));
        var dashboardName = prefix + "-relay";
        Output<String> region = functionArn.applyValue(OperationsDashboard::regionOf);
        Output<String> body = Output.tuple(functionName, region, failureQueueName).applyValue(values ->
                body(new Target(values.t1, sinkTable, values.t2, values.t3), replicationLagAlarmMs));
        var dashboard = new Dashboard(prefix + "-dashboard", DashboardArgs.builder()
                .dashboardName(dashboardName)
                .dashboardBody(body)
                .build(), ChildOptions.of(this));
        this.url = Output.tuple(region, dashboard.dashboardName()).applyValue(values -> "https://" + values.t1
                + ".console.aws.amazon.com/cloudwatch/home?region=" + values.t1 + "#dashboards:name=" + values.t2);
        registerOutputs(Map.of("url", url));
    }

    /** What the graphs read. */
    record Target(String functionName, String sinkTable, String region, String failureQueueName) {
    }

    /** arn:aws:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt; */
    static String regionOf(String arn) {
        var parts = arn.split(":");
        if (parts.length < 4 || parts[3].isEmpty()) {
            throw new IllegalArgumentException("not an ARN with a region: " + arn);
        }
        return parts[3];
    }

    /** The dashboard body (CloudWatch's dashboard body structure): widgets two to a row. */
    static String body(Target target, int replicationLagAlarmMs) {
        var widgets = new ArrayList<Map<String, Object>>();
        var lag = graph(target, "Replication lag: now minus the newest applied change (ms)",
                relay(target, RelayMetric.REPLICATION_LAG, "Maximum", "newest change, max"),
                relay(target, RelayMetric.REPLICATION_LAG, "Average", "newest change, average"),
                relay(target, RelayMetric.REPLICATION_LAG_MAX, "Maximum", "oldest change in a batch, max"),
                relay(target, RelayMetric.REPLICATION_LAG_AVERAGE, "Average", "mean change in a batch"));
        properties(lag).put("annotations", Map.of("horizontal", List.of(ordered(
                "label", "alarm threshold", "value", replicationLagAlarmMs))));
        widgets.add(lag);
        widgets.add(graph(target, "Throughput (records per minute)",
                relay(target, RelayMetric.RECORDS_RECEIVED, "Sum", "received"),
                relay(target, RelayMetric.RECORDS_APPLIED, "Sum", "applied")));
        widgets.add(graph(target, "Outcomes (records per minute)",
                relay(target, RelayMetric.RECORDS_APPLIED, "Sum", "applied"),
                relay(target, RelayMetric.RECORDS_SKIPPED, "Sum", "skipped"),
                relay(target, RelayMetric.CHANGES_SUPERSEDED, "Sum", "superseded (stale or duplicate)"),
                relay(target, RelayMetric.RECORDS_DEAD_LETTERED, "Sum", "dead-lettered"),
                relay(target, RelayMetric.RECORDS_FAILED, "Sum", "failed (re-delivered)")));
        widgets.add(graph(target, "Durations (ms)",
                relay(target, RelayMetric.BATCH_DURATION, "Average", "batch, average"),
                relay(target, RelayMetric.BATCH_DURATION, "Maximum", "batch, max"),
                relay(target, RelayMetric.WRITE_DURATION, "Average", "write, average"),
                relay(target, RelayMetric.WRITE_DURATION, "Maximum", "write, max")));
        widgets.add(graph(target, "Write retries and kept-aside values (per minute)",
                relay(target, RelayMetric.WRITE_RETRIES, "Sum", "write retries"),
                relay(target, RelayMetric.DIVERTED_ATTRIBUTES, "Sum", "attributes diverted to aux"),
                relay(target, RelayMetric.INEXACT_NUMBERS, "Sum", "inexact numbers")));
        widgets.add(graph(target, "Iterator age: how long records wait in the stream (ms)",
                lambda(target, "IteratorAge", "Maximum", "iterator age, max")));
        widgets.add(graph(target, "Function errors and throttles",
                lambda(target, "Errors", "Sum", "errors"),
                lambda(target, "Throttles", "Sum", "throttles")));
        widgets.add(graph(target, "Failure queue depth and dead letters",
                List.of("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", target.failureQueueName(),
                        ordered("stat", "Maximum", "label", "batches given up on (failure queue)")),
                relay(target, RelayMetric.RECORDS_DEAD_LETTERED, "Sum", "records dead-lettered")));
        for (int i = 0; i < widgets.size(); i++) {
            widgets.get(i).put("x", (i % 2) * 12);
            widgets.get(i).put("y", (i / 2) * 6);
        }
        return Json.write(Map.of("widgets", widgets));
    }

    /** Two entries in this order: the body is compared on every update, so it must be written the same way. */
    private static Map<String, Object> ordered(String key1, Object value1, String key2, Object value2) {
        var map = new LinkedHashMap<String, Object>();
        map.put(key1, value1);
        map.put(key2, value2);
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> widget) {
        return (Map<String, Object>) widget.get("properties");
    }

    private static Map<String, Object> graph(Target target, String title, List<?>... metrics) {
        var properties = new LinkedHashMap<String, Object>();
        properties.put("title", title);
        properties.put("region", target.region());
        properties.put("view", "timeSeries");
        properties.put("stacked", false);
        properties.put("period", PERIOD_SECONDS);
        properties.put("metrics", List.of(metrics));
        var widget = new LinkedHashMap<String, Object>();
        widget.put("type", "metric");
        widget.put("width", 12);
        widget.put("height", 6);
        widget.put("properties", properties);
        return widget;
    }

    /** A relay metric with its two dimensions, as a dashboard metric array. */
    private static List<Object> relay(Target target, RelayMetric metric, String stat, String label) {
        return List.of(RelayMetric.NAMESPACE, metric.metricName(),
                RelayMetric.FUNCTION_DIMENSION, target.functionName(),
                RelayMetric.TABLE_DIMENSION, target.sinkTable(),
                ordered("stat", stat, "label", label));
    }

    private static List<Object> lambda(Target target, String metric, String stat, String label) {
        return List.of("AWS/Lambda", metric, "FunctionName", target.functionName(),
                ordered("stat", stat, "label", label));
    }
}
