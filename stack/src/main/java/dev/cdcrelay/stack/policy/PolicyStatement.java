package dev.cdcrelay.stack.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Allow or Deny statement of an IAM-style policy.
 *
 * @param principal absent for identity policies (IAM role policies), present for resource policies
 * @param resources absent for resource policies, where the resource is implied
 */
public record PolicyStatement(String sid, String effect, Optional<Object> principal, List<String> actions,
                              Optional<List<String>> resources, Map<String, Object> condition) {

    public PolicyStatement {
        Objects.requireNonNull(sid);
        Objects.requireNonNull(effect);
        Objects.requireNonNull(principal);
        actions = List.copyOf(actions);
        resources = resources.map(List::copyOf);
        condition = Map.copyOf(condition);
    }

    /** An identity-policy statement: these actions on these resources. */
    public static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
        return new PolicyStatement(sid, "Allow", Optional.empty(), actions, Optional.of(resources), Map.of());
    }

    /** A resource-policy statement: this principal may do these actions on the policy's resource. */
    public static PolicyStatement allowPrincipal(String sid, Object principal, List<String> actions) {
        return new PolicyStatement(sid, "Allow", Optional.of(principal), actions, Optional.empty(), Map.of());
    }

    public PolicyStatement withCondition(Map<String, Object> newCondition) {
        return new PolicyStatement(sid, effect, principal, actions, resources, newCondition);
    }

    Map<String, Object> toJsonValue() {
        var json = new LinkedHashMap<String, Object>();
        json.put("Sid", sid);
        json.put("Effect", effect);
        principal.ifPresent(value -> json.put("Principal", value));
        json.put("Action", actions);
        resources.ifPresent(value -> json.put("Resource", value));
        if (!condition.isEmpty()) {
            json.put("Condition", condition);
        }
        return json;
    }
}
