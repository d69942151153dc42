package dev.cdcrelay.stack.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backfill function's permissions: what BackfillHandler calls (BACKFILL-CONTRACT, "The backfill
 * function"), on this table, its exports and its own bucket's prefixes only, plus what every function of
 * the relay needs to reach CrateDB and write dead letters ({@link FunctionPolicies}).
 */
public final class BackfillPolicies {

    /** Read by Start (PITR on, destination ACTIVE, key schema), ExportTableToPointInTime, and the Scan path. */
    public static final List<String> TABLE_ACTIONS = List.of(
            "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups",
            "dynamodb:DescribeKinesisStreamingDestination", "dynamodb:ExportTableToPointInTime", "dynamodb:Scan");

    /** What DynamoDB needs of the requester to write an export into a bucket. */
    public static final List<String> EXPORT_WRITE_ACTIONS = List.of("s3:PutObject", "s3:AbortMultipartUpload",
            "s3:PutObjectAcl");

    /** The bucket's prefixes, below the backfill prefix. */
    public static final String EXPORTS = "exports/";
    public static final String RESULTS = "results/";
    public static final String FINISHED = "finished/";
    public static final String SCANS = "scans/";

    private BackfillPolicies() {
    }

    /**
     * What a backfill function may reach, as ARNs the policy is written for.
     *
     * @param logGroupArn       the backfill function's own log group, without the {@code :*} suffix
     * @param passwordSecretArn the secret with the CrateDB password, when it is delivered that way
     * @param inVpc             whether the function runs in a VPC, where Lambda manages its network interfaces
     */
    public record Grants(String tableArn, String bucketArn, String prefix, String logGroupArn,
                         String deadLetterBucketArn, String deadLetterPrefix, Optional<String> passwordSecretArn,
                         boolean inVpc) {
    }

    public static String permissionPolicy(Grants grants) {
        var objects = grants.bucketArn() + "/" + grants.prefix();
        var statements = new ArrayList<PolicyStatement>();
        statements.add(PolicyStatement.allow("ReadSourceTable", TABLE_ACTIONS, List.of(grants.tableArn())));
        // An export's ARN is <table-arn>/export/<id>: only this table's exports can be described.
        statements.add(PolicyStatement.allow("DescribeOwnExports", List.of("dynamodb:DescribeExport"),
                List.of(grants.tableArn() + "/export/*")));
        statements.add(PolicyStatement.allow("ReadBackfillObjects", List.of("s3:GetObject"),
                List.of(objects + EXPORTS + "*", objects + RESULTS + "*", objects + FINISHED + "*",
                        objects + SCANS + "*")));
        // DynamoDB writes the export with the permissions of whoever requested it, in multipart uploads; AWS lists
        // these three S3 actions for requesting an export ("Requesting a table export in DynamoDB",
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html).
        statements.add(PolicyStatement.allow("WriteExports", EXPORT_WRITE_ACTIONS, List.of(objects + EXPORTS + "*")));
        statements.add(PolicyStatement.allow("WriteProgress", List.of("s3:PutObject"),
                List.of(objects + FINISHED + "*", objects + SCANS + "*")));
        // Without ListBucket a missing marker reads as 403, not 404: "not loaded yet" must be a clean 404.
        statements.add(PolicyStatement.allow("ListBackfillPrefix", List.of("s3:ListBucket"),
                        List.of(grants.bucketArn()))
                .withCondition(Map.of("StringLike", Map.of("s3:prefix", grants.prefix() + "*"))));
        statements.add(FunctionPolicies.writeOwnLogs(grants.logGroupArn()));
        statements.add(FunctionPolicies.writeDeadLetters(grants.deadLetterBucketArn(), grants.deadLetterPrefix()));
        grants.passwordSecretArn().map(FunctionPolicies::readCrateDbPassword).ifPresent(statements::add);
        if (grants.inVpc()) {
            statements.add(FunctionPolicies.manageVpcNetworkInterfaces());
        }
        return new PolicyDocument(statements).toJson();
    }
}
