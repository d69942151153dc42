package dev.cdcrelay.stack;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.TableRelaySettings;

import java.util.Map;

/**
 * One entry of {@code tables}: its resources grouped under one component named {@code <prefix>-<name>},
 * so that `pulumi up` shows each table apart and adding or removing an entry adds or removes exactly
 * this subtree. (A single-table stack declares the same resources directly under {@link CdcRelay}, as it
 * always has, so its URNs do not change.)
 */
public final class TableRelay extends ComponentResource {

    public static final String TYPE = "cdcrelay:index:TableRelay";

    final TableResources resources;

    TableRelay(String prefix, TableRelaySettings table, TableResources.Shared shared, Map<String, String> tags,
               Resource parent) {
        super(TYPE, prefix, ComponentResourceOptions.builder().parent(parent).build());
        this.resources = new TableResources(prefix, table, shared, tags, this);
        registerOutputs(Map.<String, Output<?>>copyOf(resources.outputs()));
    }
}
