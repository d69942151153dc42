package dev.cdcrelay.stack;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.exceptions.RunException;
import dev.cdcrelay.stack.config.InvalidConfigException;
import dev.cdcrelay.stack.config.PulumiConfigSource;
import dev.cdcrelay.stack.config.RelayStackConfig;

import java.util.Map;

/** The Pulumi program: validate the stack's config, declare one {@link CdcRelay}, export its outputs. */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    /** The whole program; tests run exactly this against Pulumi's mocks. */
    public static void stack(Context ctx) {
        var config = ctx.config();
        var settings = validatedSettings(config, ctx);
        var tags = Map.of("project", ctx.projectName(), "stack", ctx.stackName(), "managed-by", "pulumi");
        var relay = new CdcRelay(settings.namePrefix(),
                CdcRelayArgs.of(settings, CrateDbCredentials.fromConfig(config), tags));
        relay.outputs().forEach(ctx::export);
    }

    /** Fails before any resource is declared, listing every problem; as a RunException Pulumi shows just that list. */
    private static RelayStackConfig validatedSettings(Config config, Context ctx) {
        try {
            return RelayStackConfig.from(new PulumiConfigSource(config, ctx.config("aws")), ctx.projectName(),
                    ctx.stackName());
        } catch (InvalidConfigException invalid) {
            throw new RunException(invalid.getMessage());
        }
    }
}
