package dev.cdcrelay.stack;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import dev.cdcrelay.stack.components.Alarms;
import dev.cdcrelay.stack.components.CredentialSecret;
import dev.cdcrelay.stack.components.FailureHandling;
import dev.cdcrelay.stack.components.FunctionImage;
import dev.cdcrelay.stack.config.NamePrefix;
import dev.cdcrelay.stack.config.RelayStackConfig;
import dev.cdcrelay.stack.config.TableRelaySettings;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB tables -> Kinesis Data Streams -> Lambda (image in ECR) -> CrateDB, as one Pulumi component.
 * Shared once per stack: the image (built once, every function runs it by digest), the password
 * secret, the failure queue, the dead-letter bucket and the alarm topic. Per table: source table,
 * stream, function, role, mapping, alarms and backfill ({@link TableResources}), under a {@link TableRelay} per
 * entry of {@code tables}, or directly under this component for a single-table stack.
 * Tables, streams and the image can each be existing ones instead of the stack's own.
 * Its {@code name} prefixes every child's name, so relays of different stacks, or several in one
 * program, do not collide.
 */
public final class CdcRelay extends ComponentResource {

    public static final String TYPE = "cdcrelay:index:CdcRelay";

    public final Output<String> failureQueueArn;
    public final Output<String> failureQueueUrl;
    public final Output<String> deadLetterBucketName;
    public final Output<String> deadLetterBucketArn;
    /** The stack's own ECR repository; none with a prebuilt image ({@code imageUri}). */
    public final Optional<Output<String>> repositoryUrl;
    /** The pushed image as docker reported it; none with a prebuilt image. */
    public final Optional<Output<String>> repoDigest;
    public final Output<String> imageUri;
    /** {@code sha256:...} of the image the functions run: promote it by setting another stack's imageUri. */
    public final Output<String> imageDigest;
    public final Optional<Output<String>> alarmTopicArn;
    /** The secret the functions read the CrateDB password from; none with passwordDelivery environment. */
    public final Optional<Output<String>> cratedbPasswordSecretArn;
    /** Each table's resources, by entry name (one entry named "" for a single-table stack), in config order. */
    private final Map<String, TableResources> tables;
    private final boolean namedTables;

    public CdcRelay(String name, CdcRelayArgs args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public CdcRelay(String name, CdcRelayArgs args, ComponentResourceOptions options) {
        super(TYPE, requireValidName(name), options);
        RelayStackConfig settings = args.settings();
        var tags = args.tags();
        var functionNames = settings.tables().stream()
                .map(table -> TableResources.functionName(table.resourcePrefix(name))).toList();
        // The backfill functions run the same image: the repository policy must let them pull it too.
        var imageFunctionNames = settings.tables().stream()
                .flatMap(table -> TableResources.functionNames(table.resourcePrefix(name), settings).stream()).toList();

        var image = new FunctionImage(name, settings.image(), args.imageBuild(), imageFunctionNames, tags, this);
        var failures = new FailureHandling(name, settings.failures(), tags, this);
        var passwordSecret = settings.password().viaSecretsManager()
                ? Optional.of(new CredentialSecret(name, args.credentials().password(), settings.password(),
                        functionNames, tags, this))
                : Optional.<CredentialSecret>empty();
        this.namedTables = settings.namedTables();
        var declared = declareTables(name, new TableResources.Shared(settings, args.credentials(), image, failures,
                passwordSecret, TableResources.TableAlarms.SINGLE_TABLE), tags);
        this.tables = declared.inConfigOrder();
        this.alarmTopicArn = declared.alarmTopicArn();

        this.failureQueueArn = failures.failureQueueArn;
        this.failureQueueUrl = failures.failureQueueUrl;
        this.deadLetterBucketName = failures.deadLetterBucketName;
        this.deadLetterBucketArn = failures.deadLetterBucketArn;
        this.repositoryUrl = image.repositoryUrl;
        this.repoDigest = image.repoDigest;
        this.imageUri = image.imageUri;
        this.imageDigest = image.imageDigest;
        this.cratedbPasswordSecretArn = passwordSecret.map(secret -> secret.secretArn);
        registerOutputs(Map.copyOf(outputs()));
    }

    /** Each table's resources by entry name in config order, and the topic all their alarms notify. */
    private record DeclaredTables(Map<String, TableResources> inConfigOrder, Optional<Output<String>> alarmTopicArn) {
    }

    /**
     * The relay named like a single-table stack (the single-table keys' one, or the entry that keeps those
     * names) keeps its Alarms as they were, with the topic and the failure-queue alarm, and is declared
     * first so the others can notify its topic. Without one, the stack's own Alarms hold both, once.
     */
    private DeclaredTables declareTables(String name, TableResources.Shared shared, Map<String, String> tags) {
        var settings = shared.settings();
        var singleTableNamed = settings.tables().stream()
                .filter(table -> table.naming() == TableRelaySettings.Naming.SINGLE_TABLE).findFirst();
        var declared = new HashMap<String, TableResources>();
        Optional<Output<String>> topicArn;
        if (singleTableNamed.isPresent()) {
            var single = singleTableNamed.get();
            var resources = new TableResources(name, single, shared, tags, this);
            declared.put(single.name().orElse(""), resources);
            topicArn = resources.alarmTopicArn;
        } else {
            topicArn = new Alarms(name, settings.alarms(), Alarms.Watched.queue(shared.failures().failureQueueName),
                    new Alarms.Notification.AsConfigured(), tags, this).topicArn;
        }
        var entryShared = shared.withAlarms(TableResources.TableAlarms.functionOnly(topicArn));
        settings.tables().stream().filter(table -> table.naming() == TableRelaySettings.Naming.ENTRY)
                .forEach(table -> declared.put(table.name().orElseThrow(),
                        new TableRelay(table.resourcePrefix(name), table, entryShared, tags, this).resources));
        var inConfigOrder = new LinkedHashMap<String, TableResources>();
        settings.tables().forEach(table -> inConfigOrder.put(table.name().orElse(""),
                declared.get(table.name().orElse(""))));
        return new DeclaredTables(Collections.unmodifiableMap(inConfigOrder), topicArn);
    }

    /**
     * Every output by its stack-output name; App exports exactly these. A one-table stack keeps its flat
     * per-table outputs (tableName, functionArn, ...); a stack with {@code tables} also has {@code tables},
     * a map from entry name to that table's names and ARNs.
     */
    public Map<String, Output<?>> outputs() {
        var outputs = new LinkedHashMap<String, Output<?>>();
        if (tables.size() == 1) {
            outputs.putAll(tables.values().iterator().next().outputs());
        }
        if (namedTables) {
            outputs.put("tables", tablesOutput());
        }
        outputs.put("failureQueueArn", failureQueueArn);
        outputs.put("failureQueueUrl", failureQueueUrl);
        outputs.put("deadLetterBucketName", deadLetterBucketName);
        outputs.put("deadLetterBucketArn", deadLetterBucketArn);
        repositoryUrl.ifPresent(url -> outputs.put("repositoryUrl", url));
        repoDigest.ifPresent(digest -> outputs.put("repoDigest", digest));
        outputs.put("imageUri", imageUri);
        outputs.put("imageDigest", imageDigest);
        alarmTopicArn.ifPresent(arn -> outputs.put("alarmTopicArn", arn));
        cratedbPasswordSecretArn.ifPresent(arn -> outputs.put("cratedbPasswordSecretArn", arn));
        return outputs;
    }

    /** {@code {<name>: {tableName, tableArn, ..., deadLetterPrefix}}} for every entry of {@code tables}. */
    private Output<Map<String, Map<String, String>>> tablesOutput() {
        var perTable = tables.entrySet().stream().map(entry -> {
            var named = new LinkedHashMap<>(entry.getValue().outputs());
            named.put("deadLetterPrefix", Output.of(entry.getValue().deadLetterPrefix));
            var keys = List.copyOf(named.keySet());
            return Output.all(List.copyOf(named.values())).applyValue(values -> {
                var table = new LinkedHashMap<String, String>();
                for (int i = 0; i < keys.size(); i++) {
                    table.put(keys.get(i), values.get(i));
                }
                return Map.entry(entry.getKey(), Collections.unmodifiableMap(table));
            });
        }).toList();
        return Output.all(perTable).applyValue(entries -> {
            var byName = new LinkedHashMap<String, Map<String, String>>();
            entries.forEach(entry -> byName.put(entry.getKey(), entry.getValue()));
            return Collections.unmodifiableMap(byName);
        });
    }

    private static String requireValidName(String name) {
        var problem = NamePrefix.problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("CdcRelay name " + problem);
        }
        return name;
    }
}
