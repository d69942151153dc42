package dev.cdcrelay.backfill.execution;

import dev.cdcrelay.backfill.BackfillIncompleteException;
import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.JsonTree;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.backfill.s3.ObjectStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backfill function's {@code summarize} action: reads what the Distributed Map's ResultWriter
 * exported and judges the whole backfill. The format, as AWS documents it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html): the map
 * state's output carries {@code ResultWriterDetails {"Bucket", "Key"}} naming {@code manifest.json},
 * which holds {@code DestinationBucket}, {@code MapRunArn} and {@code ResultFiles} with the keys of
 * the result files per status, {@code {"FAILED": [{"Key", "Size"}], "PENDING": [...], "SUCCEEDED": [...]}};
 * each result file ({@code SUCCEEDED_0.json}, {@code FAILED_0.json}, ...) is a JSON array of child
 * executions with {@code ExecutionArn}, {@code Input} and {@code Output} (JSON as strings),
 * {@code Status}, and for a failed one {@code Error} and {@code Cause}.
 *
 * <p>Complete when every file (export) or segment (Scan) succeeded with status LOADED,
 * ALREADY_LOADED or DONE, and for an export the items loaded reach its itemCount; else
 * {@link BackfillIncompleteException} names every failed file or segment with its problem.
 */
public final class MapRunSummary {

    private final ObjectStore store;

    public MapRunSummary(ObjectStore store) {
        this.store = store;
    }

    public Map<String, Object> run(TaskInput input) {
        TaskInput results = input.object("results");
        String bucket = results.string("Bucket");
        TaskInput manifest = read(bucket, results.string("Key"));
        TaskInput files = manifest.object("ResultFiles");
        List<String> problems = new ArrayList<>();
        long children = 0;
        long loaded = 0;
        for (String status : List.of("SUCCEEDED", "FAILED", "PENDING")) {
            for (Object file : files.list(status)) {
                String key = TaskInput.of(file, "manifest.json ResultFiles." + status).string("Key");
                for (Object execution : read(bucket, key).list("executions")) {
                    children++;
                    loaded += judge(TaskInput.of(execution, key), problems);
                }
            }
        }
        Optional<Long> itemCount = input.optionalWhole("itemCount", 0, Long.MAX_VALUE);
        if (problems.isEmpty() && itemCount.isPresent() && loaded < itemCount.get()) {
            problems.add(loaded + " item(s) loaded, the export holds " + itemCount.get());
        }
        String what = input.optionalString("mode").orElse("export").equals("scan") ? "segment(s)" : "file(s)";
        if (!problems.isEmpty()) {
            throw new BackfillIncompleteException("backfill incomplete: " + problems.size() + " problem(s) in " + children
                    + " " + what + ", " + loaded + " item(s) loaded; resume with the same start input:\n  - "
                    + String.join("\n  - ", problems));
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("filesOrSegments", children);
        output.put("itemsLoaded", loaded);
        itemCount.ifPresent(n -> output.put("itemCount", n));
        return output;
    }

    /** Adds the child's problems; returns the items it loaded. */
    private static long judge(TaskInput execution, List<String> problems) {
        String status = execution.optionalString("Status").orElse("UNKNOWN");
        TaskInput in = embedded(execution, "Input");
        String name = in.optionalObject("file").flatMap(f -> f.optionalString("dataFileS3Key"))
                .or(() -> in.optionalWhole("segment", 0, Long.MAX_VALUE).map(k -> "segment " + k))
                .orElse(execution.optionalString("ExecutionArn").orElse("(a child execution)"));
        if (!status.equals("SUCCEEDED")) {
            problems.add(name + ": " + status + " " + execution.optionalString("Error").orElse("")
                    + execution.optionalString("Cause").map(c -> ": " + c).orElse(""));
            return 0;
        }
        TaskInput out = embedded(execution, "Output");
        String result = out.optionalString("status").orElse("(no status)");
        if (!List.of("LOADED", "ALREADY_LOADED", "DONE").contains(result)) {
            List<?> reported = out.list("problems");
            problems.add(name + ": " + result + (reported.isEmpty() ? "" : ": " + reported));
        }
        return out.optionalWhole("loaded", 0, Long.MAX_VALUE).orElse(0L);
    }

    /** Input and Output are JSON documents inside strings. */
    private static TaskInput embedded(TaskInput execution, String member) {
        String json = execution.optionalString(member).orElse("{}");
        return TaskInput.of(JsonTree.parse(json, member), member);
    }

    /** An object as a TaskInput; a result file (a JSON array) under "executions". */
    private TaskInput read(String bucket, String key) {
        byte[] bytes = store.read(bucket, key).orElseThrow(() -> new BackfillRefusedException(
                "summarize: s3://" + bucket + "/" + key + " is missing"));
        Object json = JsonTree.parse(bytes, key);
        return TaskInput.of(json instanceof List<?> list ? Map.of("executions", list) : json, key);
    }
}
