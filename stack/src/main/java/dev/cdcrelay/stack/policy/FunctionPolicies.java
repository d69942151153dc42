package dev.cdcrelay.stack.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The execution role's trust and permission policies: exactly what the relay does, on its own resources. */
public final class FunctionPolicies {

    /**
     * What the event source mapping needs to read the stream with a shared-throughput iterator.
     * kinesis:ListStreams is left out: the mapping is given the stream's ARN, and the action would
     * need Resource "*". So is kinesis:SubscribeToShard: it serves only enhanced fan-out consumers
     * (and is granted on the consumer's ARN, not the stream's), which this mapping is not.
     */
    public static final List<String> STREAM_READ_ACTIONS = List.of(
            "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
            "kinesis:GetShardIterator", "kinesis:ListShards");

    /**
     * Kinesis passes the stream's ARN as encryption context in every KMS call it makes for the stream
     * (Kinesis Data Streams developer guide, "Permissions to use user-generated KMS keys"), so the
     * grant can be held to decrypting this one stream's records.
     */
    public static final String KINESIS_ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:kinesis:arn";

    /**
     * What Lambda needs to attach the function to a VPC: it creates, describes and deletes the
     * function's network interfaces and their private addresses with the execution role. These are
     * exactly the EC2 actions of AWSLambdaVPCAccessExecutionRole, granted inline instead.
     */
    public static final List<String> VPC_NETWORK_INTERFACE_ACTIONS = List.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    private FunctionPolicies() {
    }

    public static String assumeRolePolicy() {
        return PolicyDocument.of(PolicyStatement.allowPrincipal("LambdaAssumesRole",
                Map.of("Service", "lambda.amazonaws.com"), List.of("sts:AssumeRole"))).toJson();
    }

    /**
     * @param logGroupArn      without the {@code :*} suffix; log streams are matched by adding it
     * @param deadLetterPrefix objects outside the prefix stay out of reach
     * @param streamKeyArn     a customer managed key to decrypt the stream with; none for alias/aws/kinesis
     *                         or an unencrypted stream
     * @param passwordSecretArn the secret the function reads the CrateDB password from, if any; it is
     *                          encrypted with aws/secretsmanager, which needs no kms grant
     * @param inVpc             whether the function runs in a VPC and so needs its network interfaces managed
     */
    public static String permissionPolicy(String streamArn, String logGroupArn, String failureQueueArn,
                                          String deadLetterBucketArn, String deadLetterPrefix,
                                          Optional<String> streamKeyArn, Optional<String> passwordSecretArn,
                                          boolean inVpc) {
        var statements = new ArrayList<PolicyStatement>();
        statements.add(PolicyStatement.allow("ReadChangeStream", STREAM_READ_ACTIONS, List.of(streamArn)));
        statements.add(writeOwnLogs(logGroupArn));
        statements.add(PolicyStatement.allow("ReportFailedBatches", List.of("sqs:SendMessage"),
                List.of(failureQueueArn)));
        statements.add(writeDeadLetters(deadLetterBucketArn, deadLetterPrefix));
        streamKeyArn.ifPresent(keyArn -> statements.add(
                PolicyStatement.allow("DecryptChangeStream", List.of("kms:Decrypt"), List.of(keyArn))
                        .withCondition(Map.of("StringEquals", Map.of(KINESIS_ENCRYPTION_CONTEXT, streamArn)))));
        passwordSecretArn.map(FunctionPolicies::readCrateDbPassword).ifPresent(statements::add);
        if (inVpc) {
            statements.add(manageVpcNetworkInterfaces());
        }
        return new PolicyDocument(statements).toJson();
    }

    /** @param logGroupArn without the {@code :*} suffix; log streams are matched by adding it */
    static PolicyStatement writeOwnLogs(String logGroupArn) {
        return PolicyStatement.allow("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(logGroupArn, logGroupArn + ":*"));
    }

    /** Objects outside the prefix stay out of reach. */
    static PolicyStatement writeDeadLetters(String deadLetterBucketArn, String deadLetterPrefix) {
        return PolicyStatement.allow("WriteDeadLetters", List.of("s3:PutObject"),
                List.of(deadLetterBucketArn + "/" + deadLetterPrefix + "*"));
    }

    /** The secret is encrypted with aws/secretsmanager, which needs no kms grant. */
    static PolicyStatement readCrateDbPassword(String secretArn) {
        return PolicyStatement.allow("ReadCrateDbPassword", List.of("secretsmanager:GetSecretValue"),
                List.of(secretArn));
    }

    /**
     * The one wildcard: ec2:DescribeNetworkInterfaces supports no resource-level permissions, and the
     * interfaces the others act on do not exist yet (Lambda creates them, with ids and ARNs unknown to
     * this program), so AWS documents Resource "*" for all five.
     */
    static PolicyStatement manageVpcNetworkInterfaces() {
        return PolicyStatement.allow("ManageVpcNetworkInterfaces", VPC_NETWORK_INTERFACE_ACTIONS, List.of("*"));
    }
}
