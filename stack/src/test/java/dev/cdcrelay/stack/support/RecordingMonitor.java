package dev.cdcrelay.stack.support;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.Log;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.MockMonitor;
import pulumirpc.Resource.ReadResourceRequest;
import pulumirpc.Resource.ReadResourceResponse;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mock monitor unwraps secrets before the mocks see the inputs. This one first notes, per
 * resource, which input properties the program sent as secrets (what the engine would encrypt) and
 * which resources it must wait for (the URNs of its dependencies).
 */
public final class RecordingMonitor extends MockMonitor {

    /** Pulumi's wire marker for a secret value: {"4dabf1...": "1b4706...", "value": ...}. */
    private static final String SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
    private static final String SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

    private final Map<String, Set<String>> secretPaths = new ConcurrentHashMap<>();
    private final Map<String, List<String>> dependencies = new ConcurrentHashMap<>();
    private final Set<String> deletedBeforeReplaced = ConcurrentHashMap.newKeySet();
    private final List<String> urns = new CopyOnWriteArrayList<>();

    public RecordingMonitor(Mocks mocks, Log log) {
        super(mocks, log);
    }

    @Override
    public CompletableFuture<RegisterResourceResponse> registerResourceAsync(Resource resource,
                                                                            RegisterResourceRequest request) {
        var paths = ConcurrentHashMap.<String>newKeySet();
        collect(request.getObject(), "", paths);
        secretPaths.put(key(request.getType(), request.getName()), paths);
        dependencies.put(key(request.getType(), request.getName()), List.copyOf(request.getDependenciesList()));
        if (request.getDeleteBeforeReplace()) {
            deletedBeforeReplaced.add(key(request.getType(), request.getName()));
        }
        return super.registerResourceAsync(resource, request).thenApply(response -> {
            urns.add(response.getUrn());
            return response;
        });
    }

    @Override
    public CompletableFuture<ReadResourceResponse> readResourceAsync(Resource resource, ReadResourceRequest request) {
        return super.readResourceAsync(resource, request).thenApply(response -> {
            urns.add(response.getUrn());
            return response;
        });
    }

    /** The URN of every resource the program registered or read (the stack itself included), in no set order. */
    public List<String> urns() {
        return List.copyOf(urns);
    }

    /** True when the input at {@code path} (dotted, e.g. environment.variables.X) or one of its parents was secret. */
    public boolean isSecret(String type, String name, String path) {
        return secretPaths.getOrDefault(key(type, name), Set.of()).stream()
                .anyMatch(secret -> path.equals(secret) || path.startsWith(secret + "."));
    }

    /** Every secret input path of the resource. */
    public Set<String> secretPaths(String type, String name) {
        return Set.copyOf(secretPaths.getOrDefault(key(type, name), Set.of()));
    }

    /** True when the resource was registered to wait for the resource of that type and logical name. */
    public boolean dependsOn(String type, String name, String dependencyType, String dependencyName) {
        return dependencies.getOrDefault(key(type, name), List.of()).stream()
                .anyMatch(urn -> urn.endsWith(dependencyType + "::" + dependencyName));
    }

    /** True when a replacement of the resource deletes the old one before creating the new one. */
    public boolean deletesBeforeReplacing(String type, String name) {
        return deletedBeforeReplaced.contains(key(type, name));
    }

    private static void collect(Struct struct, String prefix, Set<String> paths) {
        struct.getFieldsMap().forEach((field, value) -> collect(value, prefix.isEmpty() ? field : prefix + "." + field, paths));
    }

    private static void collect(Value value, String path, Set<String> paths) {
        if (value.hasStructValue()) {
            var fields = value.getStructValue().getFieldsMap();
            var signature = fields.get(SIGNATURE_KEY);
            if (signature != null && SECRET_SIGNATURE.equals(signature.getStringValue())) {
                paths.add(path);
                return;
            }
            collect(value.getStructValue(), path, paths);
        } else if (value.hasListValue()) {
            var values = value.getListValue().getValuesList();
            for (int i = 0; i < values.size(); i++) {
                collect(values.get(i), path + "." + i, paths);
            }
        }
    }

    private static String key(String type, String name) {
        return type + "::" + name;
    }
}
