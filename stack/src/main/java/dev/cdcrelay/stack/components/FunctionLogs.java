package dev.cdcrelay.stack.components;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.FunctionSettings;

import java.util.Map;

/**
 * The function's log group, declared before the function: Lambda would otherwise create it on the
 * first invocation, with no retention and outside the stack (so `pulumi destroy` would leave it).
 */
public final class FunctionLogs extends ComponentResource {

    /** The resource the function waits for. */
    public final Resource logGroup;
    public final Output<String> logGroupName;
    /** Without the {@code :*} suffix. */
    public final Output<String> logGroupArn;

    public FunctionLogs(String prefix, String functionName, FunctionSettings settings, Map<String, String> tags,
                        Resource parent) {
        super("cdcrelay:components:FunctionLogs", prefix + "-logs", ChildOptions.component(parent));
        var group = new LogGroup(prefix + "-function-logs", LogGroupArgs.builder()
                .name("/aws/lambda/" + functionName)
                .retentionInDays(settings.logRetentionDays())
                .tags(tags)
                .build(), ChildOptions.of(this));
        this.logGroup = group;
        this.logGroupName = group.name();
        this.logGroupArn = group.arn();
        registerOutputs(Map.of("logGroupName", logGroupName, "logGroupArn", logGroupArn));
    }
}
