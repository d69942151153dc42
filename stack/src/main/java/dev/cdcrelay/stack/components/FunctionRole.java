package dev.cdcrelay.stack.components;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.policy.FunctionPolicies;

import java.util.Map;
import java.util.Optional;

/**
 * The function's execution role with one inline policy naming each resource it touches; no managed
 * policy, since even AWSLambdaKinesisExecutionRole grants every stream and log group in the account.
 */
public final class FunctionRole extends ComponentResource {

    /**
     * What the role may reach, as ARNs the policy is written for.
     *
     * @param streamKeyArn      the customer managed key the stream is encrypted with, if any (known only
     *                          after a lookup when the stream already existed)
     * @param passwordSecretArn the secret with the CrateDB password, when it is delivered that way
     * @param inVpc             whether the function runs in a VPC, where Lambda manages its network interfaces
     */
    public record Grants(Output<String> streamArn, Output<String> logGroupArn, Output<String> failureQueueArn,
                         Output<String> deadLetterBucketArn, String deadLetterPrefix,
                         Output<Optional<String>> streamKeyArn, Optional<Output<String>> passwordSecretArn,
                         boolean inVpc) {
    }

    public final Output<String> roleArn;
    /** The permissions the mapping and the function must not start without. */
    public final Resource permissions;

    public FunctionRole(String prefix, Grants grants, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:FunctionRole", prefix + "-role", ChildOptions.component(parent));
        var role = new Role(prefix + "-function", RoleArgs.builder()
                .assumeRolePolicy(FunctionPolicies.assumeRolePolicy())
                .tags(tags)
                .build(), ChildOptions.of(this));
        this.permissions = new RolePolicy(prefix + "-function-permissions", RolePolicyArgs.builder()
                .role(role.id())
                .policy(Output.tuple(grants.streamArn(), grants.logGroupArn(), grants.failureQueueArn(),
                                grants.deadLetterBucketArn(), grants.streamKeyArn(), optional(grants.passwordSecretArn()))
                        .applyValue(arns -> FunctionPolicies.permissionPolicy(arns.t1, arns.t2, arns.t3, arns.t4,
                                grants.deadLetterPrefix(), arns.t5, arns.t6, grants.inVpc())))
                .build(), ChildOptions.of(this));
        this.roleArn = role.arn();
        registerOutputs(Map.of("roleArn", roleArn));
    }

    /** A value that may be absent, as one Output to join with others. */
    static Output<Optional<String>> optional(Optional<Output<String>> value) {
        return value.map(output -> output.applyValue(Optional::of)).orElseGet(() -> Output.of(Optional.empty()));
    }
}
