package dev.cdcrelay.stack.components;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.lambda.inputs.FunctionEnvironmentArgs;
import com.pulumi.aws.lambda.inputs.FunctionImageConfigArgs;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.sfn.StateMachine;
import com.pulumi.aws.sfn.StateMachineArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.BackfillSettings;
import dev.cdcrelay.stack.config.FunctionEnvironment;
import dev.cdcrelay.stack.config.FunctionSettings;
import dev.cdcrelay.stack.config.ImageSettings;
import dev.cdcrelay.stack.config.VpcSettings;
import dev.cdcrelay.stack.policy.BackfillPolicies;
import dev.cdcrelay.stack.policy.FunctionPolicies;
import dev.cdcrelay.stack.policy.StateMachinePolicies;
import dev.cdcrelay.stack.workflow.BackfillDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads what one table already holds (docs/backfill.md): a bucket for its exports, markers and Scan
 * checkpoints; a second function from the relay's image ({@code BackfillHandler}) with the relay
 * function's environment, network and password; and a STANDARD state machine that fans an export's
 * files, or a Scan's segments, out over that function, at most {@code backfill.maxConcurrency} at once.
 * Each role reaches this table, this bucket's prefixes and this function only. Nothing runs until
 * somebody starts an execution.
 */
public final class Backfill extends ComponentResource {

    /** Runs the image's other handler; the relay function runs the image's default command. */
    public static final String HANDLER = "dev.cdcrelay.handler.BackfillHandler::handleRequest";

    /**
     * What the backfill is built from, all of it the table relay's own.
     *
     * @param relayEnvironment       the relay function's environment (secret: it may carry the password)
     * @param repositoryAccessPolicy the pull policy of the stack's own repository; none for a prebuilt image
     * @param passwordSecretArn      the secret with the CrateDB password, when it is delivered that way
     * @param passwordSecretValue    the stored password, which must exist before the function starts
     */
    public record Sources(Output<String> tableArn, Output<String> streamArn,
                          Output<Map<String, String>> relayEnvironment, Output<String> imageUri,
                          Optional<Resource> repositoryAccessPolicy, Optional<Output<String>> passwordSecretArn,
                          Optional<Resource> passwordSecretValue, Output<String> deadLetterBucketArn,
                          String deadLetterPrefix) {
    }

    /** The bucket holds only copies of the table, markers and results: `pulumi destroy` may empty it. */
    private static final boolean DESTROYED_WITH_CONTENTS = true;

    public final Output<String> stateMachineArn;
    public final Output<String> bucketName;
    public final Output<String> functionName;

    /** The function's name, fixed up front: the image's pull policy and the log group name it. */
    public static String functionName(String prefix) {
        return prefix + "-backfill";
    }

    /** Fixed up front, so the state machine's role can name the state machine and its map runs. */
    static String stateMachineName(String prefix) {
        return prefix + "-backfill";
    }

    public Backfill(String prefix, BackfillSettings settings, FunctionSettings function, ImageSettings image,
                    Optional<VpcSettings> vpc, Sources sources, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:Backfill", prefix + "-backfill", ChildOptions.component(parent));
        var backfillPrefix = BackfillSettings.prefix();
        // "-bf-data": with Pulumi's 8-character suffix the longest table prefix (47) stays within S3's 63.
        var bucket = PrivateBucket.declare(prefix + "-bf-data", DESTROYED_WITH_CONTENTS, List.of(
                new PrivateBucket.Expiry("expire-exports", backfillPrefix + BackfillPolicies.EXPORTS,
                        settings.exportExpirationDays()),
                new PrivateBucket.Expiry("expire-map-run-results", backfillPrefix + BackfillPolicies.RESULTS,
                        settings.exportExpirationDays())), tags, this);
        var backfillFunction = function(prefix, settings, function, image, vpc, sources, bucket, tags);
        var stateMachine = stateMachine(prefix, settings, backfillFunction.arn(), bucket.bucket(), bucket.arn(), tags);
        this.stateMachineArn = stateMachine.arn();
        this.bucketName = bucket.bucket();
        this.functionName = backfillFunction.name();
        registerOutputs(Map.of("stateMachineArn", stateMachineArn, "bucketName", bucketName,
                "functionName", functionName));
    }

    /** The function, its log group and its role, which reaches this table and this bucket's prefixes only. */
    private Function function(String prefix, BackfillSettings settings, FunctionSettings function,
                              ImageSettings image, Optional<VpcSettings> vpc, Sources sources, BucketV2 bucket,
                              Map<String, String> tags) {
        var backfillPrefix = BackfillSettings.prefix();
        var logs = new FunctionLogs(prefix + "-backfill", functionName(prefix), function, tags, this);
        var role = new Role(prefix + "-backfill", RoleArgs.builder()
                .assumeRolePolicy(FunctionPolicies.assumeRolePolicy())
                .tags(tags)
                .build(), ChildOptions.of(this));
        var permissions = new RolePolicy(prefix + "-backfill-permissions", RolePolicyArgs.builder()
                .role(role.id())
                .policy(Output.tuple(sources.tableArn(), bucket.arn(), logs.logGroupArn, sources.deadLetterBucketArn(),
                                FunctionRole.optional(sources.passwordSecretArn()))
                        .applyValue(arns -> BackfillPolicies.permissionPolicy(new BackfillPolicies.Grants(arns.t1,
                                arns.t2, backfillPrefix, arns.t3, arns.t4, sources.deadLetterPrefix(), arns.t5,
                                vpc.isPresent()))))
                .build(), ChildOptions.of(this));
        var environment = Output.tuple(sources.relayEnvironment(), sources.tableArn(), sources.streamArn(),
                        bucket.bucket())
                .applyValue(values -> FunctionEnvironment.requireAccepted(FunctionEnvironment.backfillVariables(
                        values.t1, values.t2, values.t3, values.t4, backfillPrefix)))
                .asSecret();
        var args = FunctionArgs.builder()
                .name(functionName(prefix))
                .packageType("Image")
                .imageUri(sources.imageUri())
                .imageConfig(FunctionImageConfigArgs.builder().commands(HANDLER).build())
                .architectures(image.architecture().lambdaName())
                .role(role.arn())
                .memorySize(settings.memoryMb())
                // Lambda's maximum: a data file, or a page of a segment, loads within one invocation.
                .timeout(BackfillSettings.TIMEOUT_SECONDS)
                .environment(FunctionEnvironmentArgs.builder().variables(environment).build())
                .description("Loads what the DynamoDB table already holds into CrateDB (started by the backfill"
                        + " state machine)")
                .loggingConfig(RelayFunction.loggingConfig(function))
                .tags(tags);
        vpc.map(RelayFunction::vpcConfig).ifPresent(args::vpcConfig);
        var dependencies = new ArrayList<Resource>(List.of(logs.logGroup, permissions));
        sources.repositoryAccessPolicy().ifPresent(dependencies::add);
        sources.passwordSecretValue().ifPresent(dependencies::add);
        return new Function(prefix + "-backfill", args.build(), CustomResourceOptions.builder()
                .parent(this)
                .dependsOn(dependencies)
                // A fixed name cannot exist twice, so a replacement has to delete the old function first.
                .deleteBeforeReplace(true)
                .build());
    }

    /** The state machine and its role: it invokes the backfill function and runs its own map runs only. */
    private StateMachine stateMachine(String prefix, BackfillSettings settings, Output<String> functionArn,
                                      Output<String> bucketName, Output<String> bucketArn, Map<String, String> tags) {
        var name = stateMachineName(prefix);
        // "bf-steps": the auto-named <prefix>-bf-steps-<7 random> fits IAM's 64 characters for every prefix.
        var role = new Role(prefix + "-bf-steps", RoleArgs.builder()
                .assumeRolePolicy(StateMachinePolicies.assumeRolePolicy())
                .tags(tags)
                .build(), ChildOptions.of(this));
        var permissions = new RolePolicy(prefix + "-bf-steps-permissions", RolePolicyArgs.builder()
                .role(role.id())
                .policy(Output.tuple(functionArn, bucketArn).applyValue(arns -> StateMachinePolicies.permissionPolicy(
                        arns.t1, arns.t2, BackfillSettings.prefix(), name, BackfillDefinition.MAP_RUN_LABELS)))
                .build(), ChildOptions.of(this));
        // Without logging configuration: CloudWatch Logs delivery would need log-delivery actions on "*";
        // every execution's history, and each map run's, is in the console and describe-execution.
        return new StateMachine(prefix + "-backfill", StateMachineArgs.builder()
                .name(name)
                .type("STANDARD")
                .roleArn(role.arn())
                .definition(Output.tuple(functionArn, bucketName).applyValue(values -> BackfillDefinition.json(
                        values.t1, values.t2, BackfillSettings.prefix(), settings.maxConcurrency())))
                .tags(tags)
                .build(), ChildOptions.of(this, permissions));
    }
}
