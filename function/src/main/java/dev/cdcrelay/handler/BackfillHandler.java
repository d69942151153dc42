package dev.cdcrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.JsonTree;
import dev.cdcrelay.backfill.TaskInput;
import dev.cdcrelay.write.Deadline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backfill function's entry point ({@code dev.cdcrelay.handler.BackfillHandler::handleRequest}),
 * one task of the backfill state machine per invocation: reads the JSON event, runs its
 * {@code action} (start, exportStatus, loadFile, scanSegment, summarize; docs/backfill.md) and writes
 * the JSON result. Thin on purpose: what each action does is in {@link BackfillTasks}' classes.
 *
 * <p>Errors reach Step Functions by the exception's class name: BackfillRefusedException (bad
 * input, a violated precondition; not retried), RetryableBackfillException (sink, S3 or DynamoDB
 * unavailable; retried), BackfillIncompleteException (summarize only).
 */
public class BackfillHandler implements RequestStreamHandler {

    private final BackfillTasks tasks;

    public BackfillHandler() {
        this(BackfillWiring.fromEnvironment(System.getenv(), RelayHandler::log));
    }

    public BackfillHandler(BackfillTasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        TaskInput event;
        try {
            event = TaskInput.of(JsonTree.parse(in.readAllBytes(), "the event"), "the event");
        } catch (IllegalArgumentException e) {
            throw new BackfillRefusedException(e.getMessage());
        }
        Deadline deadline = context == null ? Deadline.none() : context::getRemainingTimeInMillis;
        String action = event.string("action");
        Map<String, Object> result = switch (action) {
            case "start" -> tasks.start().run(event);
            case "exportStatus" -> tasks.exportStatus().run(event);
            case "loadFile" -> tasks.loadFile().run(event, tasks.relay());
            case "scanSegment" -> tasks.scanSegment().run(event, tasks.relay(), deadline);
            case "summarize" -> tasks.summarize().run(event);
            default -> throw new BackfillRefusedException("the event: unknown action '" + action
                    + "'; expected start, exportStatus, loadFile, scanSegment or summarize");
        };
        RelayHandler.log("backfill " + action + ": " + summary(result));
        JsonTree.write(result, out);
    }

    /** The result without the segment list (which can be long). */
    private static String summary(Map<String, Object> result) {
        Map<String, Object> shown = new LinkedHashMap<>(result);
        shown.remove("segments");
        return JsonTree.toJson(shown);
    }
}
