package dev.cdcrelay.metrics;

import java.util.Map;
import java.util.Objects;

/**
 * The two dimensions every relay metric carries. Few and bounded on purpose: each distinct set of
 * dimension values is a separate metric CloudWatch bills for, so nothing per shard, per batch or
 * per item goes here.
 *
 * @param functionName the Lambda function (AWS_LAMBDA_FUNCTION_NAME), or {@code local} outside Lambda
 * @param table        the sink table as configured
 */
public record MetricDimensions(String functionName, String table) {

    /** What the function name dimension reads when not running in Lambda. */
    public static final String OUTSIDE_LAMBDA = "local";

    public MetricDimensions {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(table, "table");
    }

    /** The function's name as Lambda sets it in the environment. */
    public static MetricDimensions fromEnvironment(Map<String, String> env, String table) {
        String name = env.get("AWS_LAMBDA_FUNCTION_NAME");
        return new MetricDimensions(name == null || name.isBlank() ? OUTSIDE_LAMBDA : name, table);
    }
}
