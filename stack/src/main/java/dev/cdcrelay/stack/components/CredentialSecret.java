package dev.cdcrelay.stack.components;

import com.pulumi.aws.secretsmanager.Secret;
import com.pulumi.aws.secretsmanager.SecretArgs;
import com.pulumi.aws.secretsmanager.SecretVersion;
import com.pulumi.aws.secretsmanager.SecretVersionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.PasswordSettings;

import java.util.List;
import java.util.Map;

/**
 * The CrateDB password in a Secrets Manager secret, so the function's configuration carries only the
 * secret's ARN and reading the password takes secretsmanager:GetSecretValue on that one secret. The
 * value stays a Pulumi secret on its way there: encrypted in the state, masked in every diff.
 */
public final class CredentialSecret extends ComponentResource {

    public final Output<String> secretArn;
    /** The stored password; the function must not start before it exists. */
    public final Resource value;

    /** @param functionNames the functions that read it: every table's function of the stack */
    public CredentialSecret(String prefix, Output<String> password, PasswordSettings settings,
                            List<String> functionNames, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:CredentialSecret", prefix + "-cratedb-password", ChildOptions.component(parent));
        // Auto-named (<prefix>-cratedb-password-<random>): a deleted secret keeps its name for the recovery
        // window, and a fixed name would block `pulumi up` after `pulumi destroy` until the window ends.
        var secret = new Secret(prefix + "-cratedb-password", SecretArgs.builder()
                .description(functionNames.size() == 1
                        ? "Password the CDC relay function " + functionNames.get(0) + " logs in to CrateDB with"
                        // Not the list: adding a table would then rewrite the secret's description.
                        : "Password the CDC relay functions " + prefix + "-*-function log in to CrateDB with")
                .recoveryWindowInDays(settings.secretRecoveryDays())
                .tags(tags)
                .build(), ChildOptions.of(this));
        this.value = new SecretVersion(prefix + "-cratedb-password", SecretVersionArgs.builder()
                .secretId(secret.id())
                .secretString(password.asSecret())
                .build(), ChildOptions.of(this));
        this.secretArn = secret.arn();
        registerOutputs(Map.of("secretArn", secretArn));
    }
}
