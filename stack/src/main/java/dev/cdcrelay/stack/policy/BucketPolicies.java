package dev.cdcrelay.stack.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The policy of the buckets that hold table data (dead letters, backfill exports). */
public final class BucketPolicies {

    private BucketPolicies() {
    }

    /** Dead letters and exports hold table data: refuse every request that does not come over TLS. */
    public static String denyInsecureTransport(String bucketArn) {
        var statement = new PolicyStatement("DenyInsecureTransport", "Deny", Optional.of("*"), List.of("s3:*"),
                Optional.of(List.of(bucketArn, bucketArn + "/*")),
                Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        return PolicyDocument.of(statement).toJson();
    }
}
