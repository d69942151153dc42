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
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.policy.BucketPolicies;

import java.util.List;
import java.util.Map;

/**
 * A bucket that holds table data (dead letters, backfill exports): owner-enforced, never public,
 * encrypted at rest, reachable over TLS only, and emptied of old objects by prefix. Declared as
 * {@code <name>} and {@code <name>-ownership|-private|-encryption|-expiry|-tls-only} under the caller's
 * component (no component of its own, so the dead-letter bucket's URNs stay as they were).
 */
final class PrivateBucket {

    /** Objects under {@code prefix} expire after {@code days}; {@code id} names the rule. */
    record Expiry(String id, String prefix, int days) {
    }

    private PrivateBucket() {
    }

    /** @param forceDestroy let `pulumi destroy` delete the bucket with what it still holds */
    static BucketV2 declare(String name, boolean forceDestroy, List<Expiry> expiries, Map<String, String> tags,
                            Resource parent) {
        var bucket = new BucketV2(name, BucketV2Args.builder()
                .forceDestroy(forceDestroy)
                .tags(tags)
                .build(), ChildOptions.of(parent));
        new BucketOwnershipControls(name + "-ownership", BucketOwnershipControlsArgs.builder()
                .bucket(bucket.id())
                // ACLs off: the bucket owner owns every object, access is decided by policies only.
                .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
                .build(), ChildOptions.of(parent));
        var publicAccessBlock = new BucketPublicAccessBlock(name + "-private",
                BucketPublicAccessBlockArgs.builder()
                        .bucket(bucket.id())
                        .blockPublicAcls(true)
                        .blockPublicPolicy(true)
                        .ignorePublicAcls(true)
                        .restrictPublicBuckets(true)
                        .build(), ChildOptions.of(parent));
        new BucketServerSideEncryptionConfigurationV2(name + "-encryption",
                BucketServerSideEncryptionConfigurationV2Args.builder()
                        .bucket(bucket.id())
                        // SSE-S3: encrypted at rest without a KMS grant in any role.
                        .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                .applyServerSideEncryptionByDefault(
                                        BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs
                                                .builder().sseAlgorithm("AES256").build())
                                .build())
                        .build(), ChildOptions.of(parent));
        new BucketLifecycleConfigurationV2(name + "-expiry", BucketLifecycleConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(expiries.stream().map(expiry -> BucketLifecycleConfigurationV2RuleArgs.builder()
                        .id(expiry.id())
                        .status("Enabled")
                        .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(expiry.prefix()).build())
                        .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                                .days(expiry.days()).build())
                        .build()).toList())
                .build(), ChildOptions.of(parent));
        // After the public access block: S3 aborts concurrent changes of a bucket's access settings.
        new BucketPolicy(name + "-tls-only", BucketPolicyArgs.builder()
                .bucket(bucket.id())
                .policy(bucket.arn().applyValue(BucketPolicies::denyInsecureTransport))
                .build(), ChildOptions.of(parent, publicAccessBlock));
        return bucket;
    }
}
