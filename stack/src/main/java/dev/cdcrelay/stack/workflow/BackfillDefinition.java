package dev.cdcrelay.stack.workflow;

import dev.cdcrelay.stack.policy.BackfillPolicies;
import dev.cdcrelay.stack.policy.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backfill state machine's definition (Amazon States Language), as BACKFILL-CONTRACT describes it:
 * {@code Start} asks the function for an export or a Scan; an export is polled until COMPLETED and its
 * data files are loaded by the Distributed Map {@code LoadFiles}, a Scan's segments are paged through by
 * the Distributed Map {@code ScanSegments}; {@code Summarize} then reads the map run's results and fails
 * the execution, visibly, when a file or segment was not loaded. Every Task invokes the backfill function
 * with {@code {"action": ...}} and continues with what the function returned ({@code $.Payload}).
 */
public final class BackfillDefinition {

    /** The handler's errors as Step Functions names them: the exception's fully-qualified class name. */
    public static final String RETRYABLE = "dev.cdcrelay.backfill.RetryableBackfillException";
    public static final String REFUSED = "dev.cdcrelay.backfill.BackfillRefusedException";
    public static final String INCOMPLETE = "dev.cdcrelay.backfill.BackfillIncompleteException";

    /**
     * Retried: the sink or AWS was unavailable, or Lambda itself failed the invocation. A refusal (bad
     * input, a violated precondition) and an incomplete summary are not: trying again cannot change them.
     */
    public static final List<String> RETRIED_ERRORS = List.of(RETRYABLE, "Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    /** The Distributed Maps' labels: the children's execution names start with them, the role is scoped by them. */
    public static final String LOAD_FILES = "LoadFiles";
    public static final String SCAN_SEGMENTS = "ScanSegments";
    public static final List<String> MAP_RUN_LABELS = List.of(LOAD_FILES, SCAN_SEGMENTS);

    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final int EXPORT_POLL_SECONDS = 60;
    /** The fields of one Scan segment (Start's {@code segments[k]}), passed to every page of it. */
    static final List<String> SEGMENT_FIELDS = List.of("segment", "totalSegments", "scanId", "snapshotTime",
            "readUnitsPerSecond", "marginSeconds");

    private BackfillDefinition() {
    }

    /**
     * @param bucket         the backfill bucket's name: the map runs write their results there
     * @param prefix         the backfill prefix in it ({@code backfill/})
     * @param maxConcurrency files or segments loaded at once (each one function writing to CrateDB)
     */
    public static String json(String functionArn, String bucket, String prefix, int maxConcurrency) {
        var task = new Tasks(functionArn);
        var states = new LinkedHashMap<String, Object>();
        // The execution's name as the export's client token: a retried Start requests one export, not two.
        states.put("Start", task.invoke(object("action", "start", "input.$", "$",
                "clientToken.$", "$$.Execution.Name"), "Mode"));
        states.put("Mode", object("Type", "Choice",
                "Choices", List.of(
                        equals("$.mode", "export", "ExportStatus"),
                        equals("$.mode", "scan", SCAN_SEGMENTS)),
                "Default", "UnknownMode"));
        states.put("UnknownMode", fail("BackfillUnknownMode", "Start returned a mode other than export or scan"));
        states.put("ExportStatus", task.invoke(object("action", "exportStatus", "exportArn.$", "$.exportArn",
                        "marginSeconds.$", "$.marginSeconds"),
                "ExportFinished"));
        states.put("ExportFinished", object("Type", "Choice",
                "Choices", List.of(
                        equals("$.status", "COMPLETED", LOAD_FILES),
                        equals("$.status", "IN_PROGRESS", "WaitForExport")),
                "Default", "UnexpectedExportStatus"));
        states.put("WaitForExport", object("Type", "Wait", "Seconds", EXPORT_POLL_SECONDS, "Next", "ExportStatus"));
        states.put("UnexpectedExportStatus", fail("BackfillUnexpectedExportStatus",
                "exportStatus returned neither IN_PROGRESS nor COMPLETED"));
        var results = resultWriter(bucket, prefix);
        states.put(LOAD_FILES, loadFiles(task, results, maxConcurrency));
        states.put("ExportLoaded", object("Type", "Pass",
                "Parameters", object("action", "summarize", "mode", "export",
                        "results.$", "$.mapRun.ResultWriterDetails", "exportArn.$", "$.exportArn",
                        "itemCount.$", "$.itemCount"),
                "Next", "Summarize"));
        states.put(SCAN_SEGMENTS, scanSegments(task, results, maxConcurrency));
        states.put("ScanLoaded", object("Type", "Pass",
                "Parameters", object("action", "summarize", "mode", "scan",
                        "results.$", "$.mapRun.ResultWriterDetails", "scanId.$", "$.scanId"),
                "Next", "Summarize"));
        states.put("Summarize", task.invokeAsIs(Map.of("End", true)));
        return Json.write(object(
                "Comment", "Backfill of a DynamoDB table into CrateDB (docs/backfill.md): an export's files or a"
                        + " Scan's segments, at most " + maxConcurrency + " at once",
                "StartAt", "Start",
                "States", states));
    }

    /**
     * One Task per export data file, read line by line from the export's manifest-files.json. Every
     * file is tried (a failed child does not stop the others); Summarize judges the results.
     */
    private static Map<String, Object> loadFiles(Tasks task, Map<String, Object> results, int maxConcurrency) {
        var map = distributedMap(LOAD_FILES, object("StartAt", "LoadFile",
                "States", object("LoadFile", task.invokeAsIs(Map.of("End", true)))), results, maxConcurrency);
        map.put("ItemReader", object(
                "Resource", "arn:aws:states:::s3:getObject",
                "ReaderConfig", object("InputType", "JSONL"),
                "Parameters", object("Bucket.$", "$.bucket", "Key.$", "$.manifestFilesKey")));
        map.put("ItemSelector", object("action", "loadFile",
                "file.$", "$$.Map.Item.Value", "fileIndex.$", "$$.Map.Item.Index",
                "bucket.$", "$.bucket", "exportArn.$", "$.exportArn", "exportTime.$", "$.exportTime",
                "marginSeconds.$", "$.marginSeconds"));
        map.put("Next", "ExportLoaded");
        return map;
    }

    /**
     * One child per Scan segment, looping over pages (one invocation each, checkpointed by the function)
     * until the segment is DONE; a segment with PROBLEMS fails its child, which Summarize reports.
     */
    private static Map<String, Object> scanSegments(Tasks task, Map<String, Object> results, int maxConcurrency) {
        var page = new LinkedHashMap<String, Object>();
        page.put("action", "scanSegment");
        SEGMENT_FIELDS.forEach(field -> page.put(field + ".$", "$." + field));
        var states = new LinkedHashMap<String, Object>();
        states.put("ScanPages", task.invoke(page, "SegmentStatus"));
        states.put("SegmentStatus", object("Type", "Choice",
                "Choices", List.of(
                        equals("$.status", "DONE", "SegmentDone"),
                        equals("$.status", "MORE", "ScanPages"),
                        equals("$.status", "PROBLEMS", "SegmentProblems")),
                "Default", "UnexpectedSegmentStatus"));
        states.put("SegmentDone", object("Type", "Succeed"));
        states.put("SegmentProblems", object("Type", "Fail", "Error", "BackfillProblems",
                "CausePath", "States.JsonToString($.problems)"));
        states.put("UnexpectedSegmentStatus", fail("BackfillUnexpectedSegmentStatus",
                "scanSegment returned none of DONE, MORE, PROBLEMS"));
        var map = distributedMap(SCAN_SEGMENTS, object("StartAt", "ScanPages", "States", states), results,
                maxConcurrency);
        map.put("ItemsPath", "$.segments");
        map.put("Next", "ScanLoaded");
        return map;
    }

    /** STANDARD children: a segment can take hours, longer than an EXPRESS execution's 5 minutes. */
    private static Map<String, Object> distributedMap(String label, Map<String, Object> processor,
                                                      Map<String, Object> results, int maxConcurrency) {
        var itemProcessor = new LinkedHashMap<String, Object>();
        itemProcessor.put("ProcessorConfig", object("Mode", "DISTRIBUTED", "ExecutionType", "STANDARD"));
        itemProcessor.putAll(processor);
        var map = new LinkedHashMap<String, Object>();
        map.put("Type", "Map");
        map.put("Label", label);
        map.put("ItemProcessor", itemProcessor);
        map.put("MaxConcurrency", maxConcurrency);
        map.put("ToleratedFailurePercentage", 100);
        map.put("ResultWriter", results);
        // The map's input (the export or scan) stays; Summarize needs it beside the results' location.
        map.put("ResultPath", "$.mapRun");
        return map;
    }

    private static Map<String, Object> resultWriter(String bucket, String prefix) {
        return object("Resource", "arn:aws:states:::s3:putObject",
                "Parameters", object("Bucket", bucket, "Prefix", prefix + BackfillPolicies.RESULTS));
    }

    /** Lambda invocations of the backfill function, each retried as the contract says. */
    private record Tasks(String functionArn) {

        /** Invokes with this payload and continues at {@code next} with the function's output. */
        Map<String, Object> invoke(Map<String, Object> payload, String next) {
            return task(object("FunctionName", functionArn, "Payload", payload), Map.of("Next", next));
        }

        /** Invokes with the state's input as payload. */
        Map<String, Object> invokeAsIs(Map<String, Object> transition) {
            return task(object("FunctionName", functionArn, "Payload.$", "$"), transition);
        }

        private Map<String, Object> task(Map<String, Object> parameters, Map<String, Object> transition) {
            var task = new LinkedHashMap<String, Object>();
            task.put("Type", "Task");
            task.put("Resource", LAMBDA_INVOKE);
            task.put("Parameters", parameters);
            task.put("OutputPath", "$.Payload");
            task.put("Retry", List.of(object("ErrorEquals", RETRIED_ERRORS, "IntervalSeconds", 5,
                    "BackoffRate", 2, "MaxAttempts", 6, "JitterStrategy", "FULL")));
            task.putAll(transition);
            return task;
        }
    }

    private static Map<String, Object> equals(String variable, String value, String next) {
        return object("Variable", variable, "StringEquals", value, "Next", next);
    }

    private static Map<String, Object> fail(String error, String cause) {
        return object("Type", "Fail", "Error", error, "Cause", cause);
    }

    /** An insertion-ordered JSON object from key/value pairs, so the definition diffs stably. */
    private static Map<String, Object> object(Object... keysAndValues) {
        var object = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }
}
