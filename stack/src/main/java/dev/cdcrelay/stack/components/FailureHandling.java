package dev.cdcrelay.stack.components;

import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketOwnershipControls;
import com.pulumi.aws.s3.BucketOwnershipControlsArgs;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPolicyArgs;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.sqs.Queue;
import com.pulumi.aws.sqs.QueueArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.FailureSettings;
import dev.cdcrelay.stack.policy.BucketPolicies;

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

        var bucket = new BucketV2(prefix + "-dead-letters", BucketV2Args.builder()
                .forceDestroy(settings.deadLetterForceDestroy())
                .tags(tags)
                .build(), ChildOptions.of(this));
        new BucketOwnershipControls(prefix + "-dead-letters-ownership", BucketOwnershipControlsArgs.builder()
                .bucket(bucket.id())
                // ACLs off: the bucket owner owns every object, access is decided by policies only.
                .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
                .build(), ChildOptions.of(this));
        var publicAccessBlock = new BucketPublicAccessBlock(prefix + "-dead-letters-private",
                BucketPublicAccessBlockArgs.builder()
                        .bucket(bucket.id())
                        .blockPublicAcls(true)
                        .blockPublicPolicy(true)
                        .ignorePublicAcls(true)
                        .restrictPublicBuckets(true)
                        .build(), ChildOptions.of(this));
        new BucketServerSideEncryptionConfigurationV2(prefix + "-dead-letters-encryption",
                BucketServerSideEncryptionConfigurationV2Args.builder()
                        .bucket(bucket.id())
                        // SSE-S3: encrypted at rest without a KMS grant in the function's role.
                        .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                .applyServerSideEncryptionByDefault(
                                        BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs
                                                .builder().sseAlgorithm("AES256").build())
                                .build())
                        .build(), ChildOptions.of(this));
        new BucketLifecycleConfigurationV2(prefix + "-dead-letters-expiry", BucketLifecycleConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(BucketLifecycleConfigurationV2RuleArgs.builder()
                        .id("expire-dead-letters")
                        .status("Enabled")
                        .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder()
                                .prefix(settings.deadLetterPrefix()).build())
                        .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                                .days(settings.deadLetterExpirationDays()).build())
                        .build())
                .build(), ChildOptions.of(this));
        // After the public access block: S3 aborts concurrent changes of a bucket's access settings.
        new BucketPolicy(prefix + "-dead-letters-tls-only", BucketPolicyArgs.builder()
                .bucket(bucket.id())
                .policy(bucket.arn().applyValue(BucketPolicies::denyInsecureTransport))
                .build(), ChildOptions.of(this, publicAccessBlock));

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
