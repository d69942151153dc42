package dev.cdcrelay.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The rules of CloudWatch's embedded metric format specification ("Specification: Embedded metric
 * format", Amazon CloudWatch User Guide), as a checker for tests: it lists every rule a document
 * breaks, so a test can assert an empty list and show what is wrong when it is not.
 * <ul>
 *   <li>The log event is one JSON object, with nothing before or after it, at most 1 MB.</li>
 *   <li>The root has {@code _aws}, an object with exactly {@code Timestamp} (a number: epoch
 *       milliseconds) and {@code CloudWatchMetrics} (an array of metric directives).</li>
 *   <li>A directive has exactly {@code Namespace} (a non-empty string), {@code Dimensions} (an array
 *       of dimension sets, each an array of at most 30 strings) and {@code Metrics} (an array of at
 *       most 100 metric definitions).</li>
 *   <li>A metric definition has {@code Name} (a non-empty string), and optionally {@code Unit} (one
 *       of CloudWatch's units) and {@code StorageResolution} (1 or 60); nothing else.</li>
 *   <li>Every name a directive references is a member of the root: a dimension's value a string of
 *       1 to 1024 characters, a metric's value a number or an array of at most 100 numbers.</li>
 * </ul>
 */
final class EmfSpec {

    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second", "None");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 1024 * 1024;

    private EmfSpec() {
    }

    /** Every rule the log event breaks; empty when it is a valid EMF document. */
    static List<String> problems(String logEvent) {
        List<String> problems = new ArrayList<>();
        if (logEvent.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            problems.add("larger than 1 MB");
        }
        if (logEvent.contains("\n")) {
            problems.add("more than one line");
        }
        JsonNode root;
        try {
            root = JSON.readTree(logEvent);
        } catch (Exception e) {
            problems.add("not JSON: " + e.getMessage());
            return problems;
        }
        if (root == null || !root.isObject()) {
            problems.add("the root is not a JSON object");
            return problems;
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            problems.add("_aws is missing or not an object");
            return problems;
        }
        onlyMembers(aws, "_aws", Set.of("Timestamp", "CloudWatchMetrics"), problems);
        if (!aws.path("Timestamp").isIntegralNumber()) {
            problems.add("_aws.Timestamp is missing or not an integer of epoch milliseconds");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics is missing or not an array");
            return problems;
        }
        for (JsonNode directive : directives) {
            directive(root, directive, problems);
        }
        return problems;
    }

    private static void directive(JsonNode root, JsonNode directive, List<String> problems) {
        if (!directive.isObject()) {
            problems.add("a metric directive is not an object");
            return;
        }
        onlyMembers(directive, "directive", Set.of("Namespace", "Dimensions", "Metrics"), problems);
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty()
                || namespace.asText().length() > 1024) {
            problems.add("Namespace is missing, not a string, empty or longer than 1024 characters");
        }
        JsonNode dimensions = directive.get("Dimensions");
        if (dimensions == null || !dimensions.isArray()) {
            problems.add("Dimensions is missing or not an array");
        } else {
            for (JsonNode set : dimensions) {
                if (!set.isArray() || set.size() > 30) {
                    problems.add("a dimension set is not an array of at most 30 names: " + set);
                    continue;
                }
                for (JsonNode name : set) {
                    JsonNode value = name.isTextual() ? root.get(name.asText()) : null;
                    if (value == null || !value.isTextual() || value.asText().isEmpty()
                            || value.asText().length() > 1024) {
                        problems.add("dimension " + name + " has no string value of 1 to 1024 characters in the root");
                    }
                }
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
            problems.add("Metrics is missing, not an array, or holds more than 100 definitions");
            return;
        }
        for (JsonNode definition : metrics) {
            metric(root, definition, problems);
        }
    }

    private static void metric(JsonNode root, JsonNode definition, List<String> problems) {
        onlyMembers(definition, "metric definition", Set.of("Name", "Unit", "StorageResolution"), problems);
        JsonNode name = definition.get("Name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            problems.add("a metric definition has no Name: " + definition);
            return;
        }
        JsonNode unit = definition.get("Unit");
        if (unit != null && !(unit.isTextual() && UNITS.contains(unit.asText()))) {
            problems.add(name.asText() + ": Unit " + unit + " is not a CloudWatch unit");
        }
        JsonNode resolution = definition.get("StorageResolution");
        if (resolution != null && !(resolution.isInt() && (resolution.asInt() == 1 || resolution.asInt() == 60))) {
            problems.add(name.asText() + ": StorageResolution must be 1 or 60");
        }
        JsonNode value = root.get(name.asText());
        boolean numbers = value != null && value.isArray() && value.size() <= 100;
        if (numbers) {
            for (JsonNode v : value) {
                numbers &= v.isNumber();
            }
        }
        if (value == null || !(value.isNumber() || numbers)) {
            problems.add("metric " + name.asText() + " has no number (or array of at most 100 numbers) in the root");
        }
    }

    private static void onlyMembers(JsonNode node, String what, Set<String> allowed, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                problems.add(what + " has a member the specification does not define: " + field);
            }
        }
    }
}
