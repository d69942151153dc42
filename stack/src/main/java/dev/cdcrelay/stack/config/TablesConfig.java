package dev.cdcrelay.stack.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.cdcrelay.stack.config.ConfigKeys.*;

/**
 * Which tables a stack relays: the entries of {@code tables} (Pulumi structured config, a list of
 * objects), or, when it is unset, the one table the single-table keys describe. Each entry is read
 * with the same rules as the single-table keys, and every problem names its entry. Checks across
 * entries (names, sink tables, source tables) run before any resource is declared.
 */
final class TablesConfig {

    /** An entry's name (within an entry only): names its resources and its key in the {@code tables} output. */
    static final String TABLE_ENTRY_NAME = "name";
    /**
     * {@code true} on the one entry that takes over a running single-table stack's relay: its resources keep
     * the names (and URNs) the single-table keys gave them, so moving to {@code tables} replaces nothing.
     */
    static final String KEEP_SINGLE_TABLE_NAMES = "keepSingleTableNames";

    /** The keys an entry may set. Any other key in an entry is reported, so a typo is not silently ignored. */
    static final Set<String> ENTRY_KEYS = Set.of(TABLE_ENTRY_NAME, KEEP_SINGLE_TABLE_NAMES,
            EXISTING_TABLE_NAME, TABLE_HASH_KEY, TABLE_HASH_KEY_TYPE, TABLE_RANGE_KEY, TABLE_RANGE_KEY_TYPE,
            TABLE_BILLING_MODE, TABLE_READ_CAPACITY, TABLE_WRITE_CAPACITY, TABLE_POINT_IN_TIME_RECOVERY,
            TABLE_DELETION_PROTECTION,
            STREAM_MODE, STREAM_SHARD_COUNT, STREAM_RETENTION_HOURS, STREAM_KMS_KEY, EXISTING_STREAM_ARN,
            CUT_OVER_TIME, CUT_OVER_MARGIN_MINUTES,
            CRATEDB_TABLE, TTL_DELETES, ATTRIBUTE_TYPES, SINK_CONNECTIONS,
            BATCH_SIZE, MAXIMUM_BATCHING_WINDOW_SECONDS, PARALLELIZATION_FACTOR, STARTING_POSITION,
            STARTING_POSITION_TIMESTAMP, MAXIMUM_RETRY_ATTEMPTS, MAXIMUM_RECORD_AGE_SECONDS);

    /**
     * Per-table keys that may also be set once for the whole stack, as every entry's default. These are
     * the ones Pulumi.yaml declares with a default (the CLI writes them into every stack's config), and
     * none of them is refused together with another key.
     */
    static final Set<String> STACK_DEFAULTS = Set.of(TTL_DELETES, SINK_CONNECTIONS, BATCH_SIZE, MAXIMUM_BATCHING_WINDOW_SECONDS,
            PARALLELIZATION_FACTOR, MAXIMUM_RETRY_ATTEMPTS, MAXIMUM_RECORD_AGE_SECONDS);

    /**
     * The longest {@code <namePrefix>-<name>} a table's resources can be named after: its role is auto-named
     * {@code <prefix>-<name>-function-<7 random>}, and IAM role names stop at 64 characters. Every other
     * name of a table leaves more room (function {@code <prefix>-<name>-function} 64, stream 128, alarms and
     * table 255); the repository, bucket, queue and secret are the stack's and named by the prefix alone.
     * The backfill's names are cut to fit the same limit: its roles {@code <prefix>-<name>-backfill-<7>} and
     * {@code -bf-steps-<7>} reach 64 exactly, its bucket {@code -bf-data-<7>} S3's 63.
     */
    static final int MAX_RESOURCE_PREFIX = 64 - "-function".length() - "-1234567".length();

    /**
     * Each function's ARN in the repository policy takes up to about 120 characters (a 64-character
     * function name), and ECR repository policies stop at 10,240: 50 leaves room for the rest.
     */
    static final int MAX_TABLES_WITH_OWN_IMAGE = 50;

    private static final Pattern ENTRY_NAME = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]|[a-z]");

    /** Reads one table's settings from a reader scoped to it; {@code name} is empty for the single-table keys. */
    interface TableReader {
        TableRelaySettings read(ConfigReader in, Optional<String> name, TableRelaySettings.Naming naming);
    }

    private TablesConfig() {
    }

    static List<TableRelaySettings> read(ConfigReader in, ConfigSource stack, String namePrefix, TableReader reader) {
        var raw = in.optionalString(TABLES);
        if (raw.isEmpty()) {
            return List.of(reader.read(in, Optional.empty(), TableRelaySettings.Naming.SINGLE_TABLE));
        }
        var entries = parse(in, raw.get());
        ENTRY_KEYS.stream().sorted().filter(key -> !STACK_DEFAULTS.contains(key) && in.isSet(key))
                .forEach(key -> in.problem(key, "is set per table when " + TABLES + " is set: move it into the"
                        + " entries of " + TABLES));
        var tables = new ArrayList<TableRelaySettings>();
        var scopes = new ArrayList<String>();
        for (int index = 0; index < entries.size(); index++) {
            var entry = entries.get(index);
            var name = Optional.ofNullable(entry.get(TABLE_ENTRY_NAME)).map(String::trim).orElse("");
            var scope = TABLES + "[" + index + "]" + (name.isEmpty() ? "" : " (" + name + ")");
            var entryIn = in.scoped(new EntrySource(entry, stack), scope, ENTRY_KEYS);
            checkEntryKeys(in, scope, entry);
            checkName(entryIn, name, namePrefix);
            var naming = entryIn.bool(KEEP_SINGLE_TABLE_NAMES, false) ? TableRelaySettings.Naming.SINGLE_TABLE
                    : TableRelaySettings.Naming.ENTRY;
            tables.add(reader.read(entryIn, Optional.of(name), naming));
            scopes.add(scope);
        }
        checkAcrossEntries(in, tables, scopes);
        return tables;
    }

    /** The entries as maps of text, as if each were the stack's own config; problems are reported on {@code tables}. */
    private static List<Map<String, String>> parse(ConfigReader in, String raw) {
        JsonElement json;
        try {
            json = JsonParser.parseString(raw);
        } catch (JsonParseException notJson) {
            in.problem(TABLES, "must be a list of tables (structured config, see docs/deploy.md), got '" + raw + "'");
            return List.of();
        }
        if (!json.isJsonArray() || json.getAsJsonArray().isEmpty()) {
            in.problem(TABLES, "must be a non-empty list of tables, each with " + TABLE_ENTRY_NAME + ", its source and "
                    + CRATEDB_TABLE + " (see docs/deploy.md)");
            return List.of();
        }
        var entries = new ArrayList<Map<String, String>>();
        var array = json.getAsJsonArray();
        for (int index = 0; index < array.size(); index++) {
            if (!array.get(index).isJsonObject()) {
                in.problem(TABLES + "[" + index + "]", "must be an object of per-table keys, got " + array.get(index));
                continue;
            }
            var entry = new LinkedHashMap<String, String>();
            for (var field : array.get(index).getAsJsonObject().entrySet()) {
                var value = field.getValue();
                if (value.isJsonPrimitive()) {
                    entry.put(field.getKey(), value.getAsString());
                } else if (!value.isJsonNull()) {
                    in.problem(TABLES + "[" + index + "]." + field.getKey(), "must be a string, number or boolean, got "
                            + value);
                }
            }
            entries.add(entry);
        }
        return entries;
    }

    private static void checkEntryKeys(ConfigReader in, String scope, Map<String, String> entry) {
        entry.keySet().stream().filter(key -> !ENTRY_KEYS.contains(key)).sorted().forEach(key -> in.problem(
                scope + "." + key,
                "is not a per-table key; stack-wide settings stay outside " + TABLES + " (docs/deploy.md, \"Several tables"
                        + " in one stack\")"));
    }

    private static void checkName(ConfigReader entryIn, String name, String namePrefix) {
        if (name.isEmpty()) {
            entryIn.problem(TABLE_ENTRY_NAME, "is required: a short name for the table's relay, e.g. orders; it names"
                    + " the table's resources and its dead-letter prefix");
            return;
        }
        if (!ENTRY_NAME.matcher(name).matches() || name.contains("--")) {
            entryIn.problem(TABLE_ENTRY_NAME, "'" + name + "' must be lower-case letters, digits and single hyphens,"
                    + " starting with a letter (it becomes part of resource names and an S3 prefix)");
        }
        int longest = MAX_RESOURCE_PREFIX - namePrefix.length() - 1;
        if (name.length() > longest) {
            entryIn.problem(TABLE_ENTRY_NAME, "'" + name + "' is too long: the role " + namePrefix + "-" + name
                    + "-function-<7 random> would exceed IAM's 64 characters; with " + NAME_PREFIX + " '" + namePrefix
                    + "' a name has at most " + Math.max(longest, 0) + " characters");
        }
    }

    /** Two relays of one name, one sink table or one source table would collide; each such entry is named. */
    private static void checkAcrossEntries(ConfigReader in, List<TableRelaySettings> tables, List<String> scopes) {
        var names = new HashMap<String, String>();
        var sinks = new HashMap<String, String>();
        var sources = new HashMap<String, String>();
        var keepsSingleTableNames = Optional.<String>empty();
        for (int index = 0; index < tables.size(); index++) {
            var table = tables.get(index);
            var scope = scopes.get(index);
            if (table.naming() == TableRelaySettings.Naming.SINGLE_TABLE) {
                if (keepsSingleTableNames.isPresent()) {
                    in.problem(scope + "." + KEEP_SINGLE_TABLE_NAMES, "is also set on " + keepsSingleTableNames.get()
                            + ": only one relay can keep the single-table names");
                }
                keepsSingleTableNames = keepsSingleTableNames.or(() -> Optional.of(scope));
            }
            var name = table.name().orElse("");
            if (!name.isEmpty()) {
                var first = names.putIfAbsent(name, scope);
                if (first != null) {
                    in.problem(scope + "." + TABLE_ENTRY_NAME, "'" + name + "' is also the name of " + first
                            + ": names must be unique");
                }
            }
            if (!table.sink().cratedbTable().isEmpty()) {
                var first = sinks.putIfAbsent(sinkIdentity(table.sink().cratedbTable()), scope);
                if (first != null) {
                    in.problem(scope + "." + CRATEDB_TABLE, "'" + table.sink().cratedbTable() + "' is also written by "
                            + first + ": two relays into one table would overwrite each other's rows");
                }
            }
            if (table.table() instanceof TableSettings.ExistingTable existing) {
                var first = sources.putIfAbsent(existing.name(), scope);
                if (first != null) {
                    in.problem(scope + "." + EXISTING_TABLE_NAME, "'" + existing.name() + "' is also relayed by "
                            + first + ": a table is relayed by one entry");
                }
            }
        }
    }

    /**
     * The table CrateDB writes for {@code [schema.]table}: {@code doc} is the default schema, and quotes
     * only protect dots (the function takes unquoted names as written).
     */
    static String sinkIdentity(String cratedbTable) {
        var spec = cratedbTable.trim();
        var dot = spec.startsWith("\"") ? spec.indexOf("\".") : spec.indexOf('.');
        var qualified = dot < 0 ? "doc." + spec : spec;
        return qualified.replace("\"", "");
    }

    /**
     * One entry as a {@link ConfigSource}: its own per-table keys, for {@link #STACK_DEFAULTS} the stack's
     * value when the entry sets none, and every stack-wide key (the credentials, say) as the stack has it.
     */
    private record EntrySource(Map<String, String> values, ConfigSource stack) implements ConfigSource {

        @Override
        public Optional<String> get(String key) {
            if (values.containsKey(key)) {
                return Optional.of(values.get(key));
            }
            return STACK_DEFAULTS.contains(key) || !ENTRY_KEYS.contains(key) ? stack.get(key) : Optional.empty();
        }

        @Override
        public Optional<Boolean> isSecret(String key) {
            return ENTRY_KEYS.contains(key) ? Optional.empty() : stack.isSecret(key);
        }

        @Override
        public Optional<String> deploymentRegion() {
            return stack.deploymentRegion();
        }
    }
}
