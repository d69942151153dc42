package dev.cdcrelay.stack.components;

import com.pulumi.aws.sqs.Queue;
import com.pulumi.aws.sqs.QueueArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.FailureSettings;

import java.util.List;
import java.util.Map;

/**
 * Where failures go. Poison records go to an S3 bucket with their payload (an item can be 400 KB;
 * SQS and SNS messages stop at 256 KB). Batches that exhausted their retries are reported by the
 * event source mapping to an SQS queue, which receives only their metadata (shard, sequence range).
 */
public final class FailureHandling extends ComponentResource {

    public final Output<String> deadLetterBucketName;
    public final Output<String> deadLetterBucketArn;
    public final Output<String> failureQueueArn;
    public final Output<String> failureQueueUrl;
    public final Output<String> failureQueueName;

    public FailureHandling(String prefix, FailureSettings settings, Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:FailureHandling", prefix + "-failures", ChildOptions.component(parent));

        var bucket = PrivateBucket.declare(prefix + "-dead-letters", settings.deadLetterForceDestroy(),
                List.of(new PrivateBucket.Expiry("expire-dead-letters", settings.deadLetterPrefix(),
                        settings.deadLetterExpirationDays())), tags, this);

        var queue = new Queue(prefix + "-failed-batches", QueueArgs.builder()
                .sqsManagedSseEnabled(true)
                .messageRetentionSeconds(settings.failureQueueRetentionDays() * 86_400)
                .tags(tags)
                .build(), ChildOptions.of(this));

        this.deadLetterBucketName = bucket.bucket();
        this.deadLetterBucketArn = bucket.arn();
        this.failureQueueArn = queue.arn();
        this.failureQueueUrl = queue.url();
        this.failureQueueName = queue.name();
        registerOutputs(Map.of("deadLetterBucketName", deadLetterBucketName, "deadLetterBucketArn", deadLetterBucketArn,
                "failureQueueArn", failureQueueArn, "failureQueueUrl", failureQueueUrl));
    }
}
