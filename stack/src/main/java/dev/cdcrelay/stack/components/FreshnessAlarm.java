package dev.cdcrelay.stack.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.metrics.RelayMetric;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alarm on how stale CrateDB is: the function's replication lag (now minus the change time of
 * the newest change a batch applied). Iterator age says records wait in the stream; this says the
 * data in the sink is old, whatever the cause (DynamoDB's own delay, a slow sink, retries).
 * A relay that applies nothing emits no lag: a stuck relay is the iterator-age and errors alarms'
 * case, so missing data is not breaching (an idle table is not an incident).
 */
public final class FreshnessAlarm extends ComponentResource {

    public FreshnessAlarm(String prefix, int thresholdMs, Output<String> functionName, String sinkTable,
                          Optional<Output<String>> topicArn, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:FreshnessAlarm", prefix + "-freshness", ChildOptions.component(parent));
        Output<List<String>> actions = topicArn.map(arn -> arn.applyValue(List::of)).orElse(Output.of(List.of()));
        // Maximum, 3 of 5 minutes: one slow batch is noise, a sink minutes behind for minutes is not.
        new MetricAlarm(prefix + "-replication-lag", MetricAlarmArgs.builder()
                .alarmDescription("CrateDB is more than " + thresholdMs + " ms behind DynamoDB (replication lag of "
                        + sinkTable + "): see the README's runbook, \"Stale data\"")
                .namespace(RelayMetric.NAMESPACE).metricName(RelayMetric.REPLICATION_LAG.metricName())
                .dimensions(functionName.applyValue(fn -> Map.of(RelayMetric.FUNCTION_DIMENSION, fn,
                        RelayMetric.TABLE_DIMENSION, sinkTable)))
                .statistic("Maximum").period(60).evaluationPeriods(5).datapointsToAlarm(3)
                .comparisonOperator("GreaterThanThreshold").threshold((double) thresholdMs)
                .treatMissingData("notBreaching")
                .alarmActions(actions).okActions(actions)
                .tags(tags)
                .build(), ChildOptions.of(this));
        registerOutputs(Map.of());
    }
}
