package dev.cdcrelay.stack.components;

import com.pulumi.aws.lambda.EventSourceMapping;
import com.pulumi.aws.lambda.EventSourceMappingArgs;
import com.pulumi.aws.lambda.inputs.EventSourceMappingDestinationConfigArgs;
import com.pulumi.aws.lambda.inputs.EventSourceMappingDestinationConfigOnFailureArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.MappingSettings;

import java.util.Map;

/**
 * The event source mapping: Lambda polls the stream and calls the function with batches.
 * The function reports the first record it could not apply (ReportBatchItemFailures), Lambda
 * re-delivers from there, splits failing batches, and after the bounded retries hands the batch's
 * metadata to the failure queue and moves on.
 */
public final class StreamMapping extends ComponentResource {

    static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    public final Output<String> uuid;
    public final Output<String> arn;

    /**
     * @param rolePermissions Lambda checks at creation that the role can read the stream and send
     *                        to the queue, so the mapping waits for the role's policy
     */
    public StreamMapping(String prefix, MappingSettings settings, Output<String> streamArn, Output<String> functionArn,
                         Output<String> failureQueueArn, Resource rolePermissions, Map<String, String> tags,
                         Resource parent) {
        super("cdcrelay:components:StreamMapping", prefix + "-mapping", ChildOptions.component(parent));
        var args = EventSourceMappingArgs.builder()
                .eventSourceArn(streamArn)
                .functionName(functionArn)
                .startingPosition(settings.startingPosition().configValue())
                .batchSize(settings.batchSize())
                .maximumBatchingWindowInSeconds(settings.maximumBatchingWindowSeconds())
                .parallelizationFactor(settings.parallelizationFactor())
                .functionResponseTypes(REPORT_BATCH_ITEM_FAILURES)
                .bisectBatchOnFunctionError(true)
                .maximumRetryAttempts(settings.maximumRetryAttempts())
                .maximumRecordAgeInSeconds(settings.maximumRecordAgeSeconds())
                .destinationConfig(EventSourceMappingDestinationConfigArgs.builder()
                        .onFailure(EventSourceMappingDestinationConfigOnFailureArgs.builder()
                                .destinationArn(failureQueueArn).build())
                        .build())
                .tags(tags);
        settings.startingPositionTimestamp().ifPresent(args::startingPositionTimestamp);
        var mapping = new EventSourceMapping(prefix + "-changes-to-function", args.build(),
                CustomResourceOptions.builder()
                        .parent(this)
                        .dependsOn(rolePermissions)
                        // A new starting position (or stream) replaces the mapping, and Lambda refuses a second
                        // mapping of the same stream to the same function: the old one has to go first. The new
                        // one starts where it is told, without the old one's checkpoint.
                        .deleteBeforeReplace(true)
                        .build());
        this.uuid = mapping.uuid();
        this.arn = mapping.arn();
        registerOutputs(Map.of("uuid", uuid, "arn", arn));
    }
}
