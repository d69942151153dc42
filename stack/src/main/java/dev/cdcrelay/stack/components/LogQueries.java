package dev.cdcrelay.stack.components;

import com.pulumi.aws.cloudwatch.QueryDefinition;
import com.pulumi.aws.cloudwatch.QueryDefinitionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saved CloudWatch Logs Insights queries over the function's JSON log lines, in a folder named
 * after the stack's prefix: the batches that went back to Lambda, the records that were
 * dead-lettered, and the lag over time. They read the fields of the function's "batch" line.
 */
public final class LogQueries extends ComponentResource {

    /** Query name (after the folder) to query text. */
    public static final Map<String, String> QUERIES = queries();

    public LogQueries(String prefix, Output<String> logGroupName, Resource parent) {
        super("cdcrelay:components:LogQueries", prefix + "-log-queries", ChildOptions.component(parent));
        QUERIES.forEach((name, query) -> new QueryDefinition(prefix + "-query-" + name, QueryDefinitionArgs.builder()
                .name(prefix + "/" + name)
                .logGroupNames(logGroupName.applyValue(List::of))
                .queryString(query)
                .build(), ChildOptions.of(this)));
        registerOutputs(Map.of());
    }

    private static Map<String, String> queries() {
        var queries = new LinkedHashMap<String, String>();
        queries.put("failed-batches", String.join("\n",
                "fields @timestamp, AWSRequestId, received, applied, deadLettered, failed, firstFailedSequence,"
                        + " attempts, writeMillis, reasons.0, reasons.1",
                "| filter message = \"batch\" and failed > 0",
                "| sort @timestamp desc",
                "| limit 100"));
        queries.put("dead-lettered-records", String.join("\n",
                "fields @timestamp, AWSRequestId, message, deadLettered, reasons.0, reasons.1, reasons.2",
                "| filter (message = \"batch\" and deadLettered > 0) or message like /^dead-letter/",
                "| sort @timestamp desc",
                "| limit 100"));
        queries.put("replication-lag", String.join("\n",
                "filter message = \"batch\" and ispresent(replicationLagMillis)",
                "| stats max(replicationLagMillis) as lagMaxMs, avg(replicationLagMillis) as lagAvgMs,"
                        + " sum(applied) as applied, sum(failed) as failed, max(attempts) as attemptsMax,"
                        + " avg(writeMillis) as writeAvgMs by bin(5m)"));
        return Collections.unmodifiableMap(queries);
    }
}
