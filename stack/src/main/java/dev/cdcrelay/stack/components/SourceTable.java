package dev.cdcrelay.stack.components;

import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.dynamodb.TableArgs;
import com.pulumi.aws.dynamodb.inputs.TableAttributeArgs;
import com.pulumi.aws.dynamodb.inputs.TablePointInTimeRecoveryArgs;
import com.pulumi.aws.dynamodb.outputs.TableAttribute;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.BillingMode;
import dev.cdcrelay.stack.config.KeyAttribute;
import dev.cdcrelay.stack.config.KeySchema;
import dev.cdcrelay.stack.config.TableSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The DynamoDB table whose changes are relayed: created here, or an existing one looked up read-only. */
public final class SourceTable extends ComponentResource {

    public final Output<String> tableName;
    public final Output<String> tableArn;
    /** RELAY_KEY_SCHEMA: {@code hash:TYPE[,range:TYPE]}. */
    public final Output<String> keySchema;

    public SourceTable(String prefix, TableSettings settings, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:SourceTable", prefix + "-table", ChildOptions.component(parent));
        Table table;
        if (settings instanceof TableSettings.NewTable newTable) {
            table = create(prefix, newTable, tags);
            this.keySchema = Output.of(newTable.keySchema().format());
        } else {
            var existing = (TableSettings.ExistingTable) settings;
            // Table.get reads the table into the state and never writes to it: not on `up`, not on `destroy`.
            table = Table.get(prefix + "-existing-source", Output.of(existing.name()), null,
                    ChildOptions.of(this));
            this.keySchema = Output.tuple(table.hashKey(), table.rangeKey(), table.attributes())
                    .applyValue(keys -> KeySchema.of(keys.t1, keys.t2, typesByName(keys.t3)).format());
        }
        this.tableName = table.name();
        this.tableArn = table.arn();
        registerOutputs(Map.of("tableName", tableName, "tableArn", tableArn, "keySchema", keySchema));
    }

    private Table create(String prefix, TableSettings.NewTable settings, Map<String, String> tags) {
        var keys = settings.keySchema();
        var attributes = new ArrayList<TableAttributeArgs>();
        attributes.add(attribute(keys.hashKey()));
        keys.rangeKey().ifPresent(range -> attributes.add(attribute(range)));
        var args = TableArgs.builder()
                .billingMode(settings.billingMode().configValue())
                .hashKey(keys.hashKey().name())
                .attributes(attributes)
                .pointInTimeRecovery(TablePointInTimeRecoveryArgs.builder()
                        .enabled(settings.pointInTimeRecovery()).build())
                .deletionProtectionEnabled(settings.deletionProtection())
                .tags(tags);
        keys.rangeKey().ifPresent(range -> args.rangeKey(range.name()));
        if (settings.billingMode() == BillingMode.PROVISIONED) {
            var capacity = settings.capacity().orElseThrow();
            args.readCapacity(capacity.readUnits()).writeCapacity(capacity.writeUnits());
        }
        return new Table(prefix + "-source", args.build(), ChildOptions.of(this));
    }

    private static TableAttributeArgs attribute(KeyAttribute key) {
        return TableAttributeArgs.builder().name(key.name()).type(key.type().configValue()).build();
    }

    private static Map<String, String> typesByName(List<TableAttribute> attributes) {
        return attributes.stream().collect(Collectors.toMap(TableAttribute::name, TableAttribute::type));
    }
}
