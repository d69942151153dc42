package dev.cdcrelay.stack.components;

import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.lambda.inputs.FunctionEnvironmentArgs;
import com.pulumi.aws.lambda.inputs.FunctionLoggingConfigArgs;
import com.pulumi.aws.lambda.inputs.FunctionVpcConfigArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.CrateDbCredentials;
import dev.cdcrelay.stack.config.FailureSettings;
import dev.cdcrelay.stack.config.FunctionEnvironment;
import dev.cdcrelay.stack.config.FunctionSettings;
import dev.cdcrelay.stack.config.ImageSettings;
import dev.cdcrelay.stack.config.SinkSettings;
import dev.cdcrelay.stack.config.VpcSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Lambda function that runs the relay image. */
public final class RelayFunction extends ComponentResource {

    /**
     * What the function is made of, and what must exist before it is created.
     *
     * @param repositoryAccessPolicy the pull policy of the stack's own repository; none for a prebuilt image
     */
    public record Parts(String functionName, Output<String> imageUri, Output<String> roleArn,
                        Output<Map<String, String>> environment, Resource logGroup, Resource rolePermissions,
                        Optional<Resource> repositoryAccessPolicy, Optional<Resource> passwordSecretValue) {
    }

    public final Output<String> functionArn;
    public final Output<String> functionName;

    /**
     * @param vpc where the function's network interfaces go; none to run in Lambda's own network. The role
     *            must then grant the interface actions, and {@link Parts#rolePermissions()} is waited for.
     */
    public RelayFunction(String prefix, FunctionSettings settings, ImageSettings image, Optional<VpcSettings> vpc,
                         Parts parts, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:RelayFunction", prefix + "-function", ChildOptions.component(parent));
        var args = FunctionArgs.builder()
                // Named, not auto-named: the log group /aws/lambda/<name> is declared before the function.
                .name(parts.functionName())
                .packageType("Image")
                .imageUri(parts.imageUri())
                .architectures(image.architecture().lambdaName())
                .role(parts.roleArn())
                .memorySize(settings.memoryMb())
                .timeout(settings.timeoutSeconds())
                .environment(FunctionEnvironmentArgs.builder().variables(parts.environment()).build())
                .description("Relays DynamoDB changes from Kinesis to CrateDB")
                .loggingConfig(loggingConfig(settings))
                .tags(tags);
        settings.reservedConcurrency().ifPresent(args::reservedConcurrentExecutions);
        vpc.map(RelayFunction::vpcConfig).ifPresent(args::vpcConfig);
        var function = new Function(prefix + "-function", args.build(), CustomResourceOptions.builder()
                .parent(this)
                .dependsOn(dependencies(parts))
                // A fixed name cannot exist twice, so a replacement has to delete the old function first.
                .deleteBeforeReplace(true)
                .build());
        this.functionArn = function.arn();
        this.functionName = function.name();
        registerOutputs(Map.of("functionArn", functionArn, "functionName", functionName));
    }

    /** JSON: the function prints JSON lines (metrics, batch lines) that Lambda files by level. */
    static FunctionLoggingConfigArgs loggingConfig(FunctionSettings settings) {
        return FunctionLoggingConfigArgs.builder()
                .logFormat("JSON")
                .applicationLogLevel(settings.logLevel().configValue())
                .systemLogLevel("INFO")
                .build();
    }

    static FunctionVpcConfigArgs vpcConfig(VpcSettings placement) {
        return FunctionVpcConfigArgs.builder()
                .subnetIds(placement.subnetIds())
                .securityGroupIds(placement.securityGroupIds())
                .build();
    }

    /** The function reads its password at start-up, so the secret must hold it before the function exists. */
    static List<Resource> dependencies(Parts parts) {
        var dependencies = new ArrayList<Resource>(List.of(parts.logGroup(), parts.rolePermissions()));
        parts.repositoryAccessPolicy().ifPresent(dependencies::add);
        parts.passwordSecretValue().ifPresent(dependencies::add);
        return dependencies;
    }

    /**
     * The environment, secret as a whole because it carries the credentials.
     *
     * @param passwordSecretArn the secret holding the password; none to pass the password itself
     */
    public static Output<Map<String, String>> environment(CrateDbCredentials credentials,
                                                          Optional<Output<String>> passwordSecretArn,
                                                          Output<String> keySchema, Output<String> deadLetterBucket,
                                                          SinkSettings sink, FailureSettings failures) {
        Output<FunctionEnvironment.Password> password = passwordSecretArn
                .map(arn -> arn.applyValue(FunctionEnvironment.Password::inSecret))
                .orElseGet(() -> credentials.password().applyValue(FunctionEnvironment.Password::inline));
        return Output.tuple(credentials.jdbcUrl(), credentials.user(), password, keySchema, deadLetterBucket)
                .applyValue(values -> FunctionEnvironment.requireAccepted(FunctionEnvironment.variables(values.t1,
                        values.t2, values.t3, Optional.of(values.t4), values.t5, sink, failures)))
                .asSecret();
    }
}
