package dev.cdcrelay.stack.policy;

import java.util.List;
import java.util.Map;

/**
 * The backfill state machine's trust and permission policies. Step Functions documents what a
 * Distributed Map needs of its role ("IAM policies for using Distributed Map states",
 * https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html): StartExecution on
 * the state machine itself (each child is an execution of it), DescribeExecution and StopExecution on
 * its executions, RedriveExecution on the map runs' children for a redrive, GetObject on what the
 * ItemReader reads, and PutObject, GetObject, ListMultipartUploadParts and AbortMultipartUpload where the
 * ResultWriter writes.
 */
public final class StateMachinePolicies {

    /** The ResultWriter's actions, as that page lists them. */
    public static final List<String> RESULT_WRITER_ACTIONS = List.of(
            "s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload");

    private StateMachinePolicies() {
    }

    public static String assumeRolePolicy() {
        return PolicyDocument.of(PolicyStatement.allowPrincipal("StepFunctionsAssumesRole",
                Map.of("Service", "states.amazonaws.com"), List.of("sts:AssumeRole"))).toJson();
    }

    /**
     * @param stateMachineName fixed up front, so the policy can name the state machine's ARN before it exists
     * @param mapRunLabels     the Label of every Distributed Map of the definition: its children are named by it
     */
    public static String permissionPolicy(String functionArn, String bucketArn, String prefix,
                                          String stateMachineName, List<String> mapRunLabels) {
        var arn = Arn.parse(functionArn);
        var objects = bucketArn + "/" + prefix;
        return PolicyDocument.of(
                // The function and its versions (":*"), should a Task ever name a qualified ARN.
                PolicyStatement.allow("InvokeBackfillFunction", List.of("lambda:InvokeFunction"),
                        List.of(functionArn, functionArn + ":*")),
                // The ItemReader reads an export's manifest-files.json (<prefix>exports/AWSDynamoDB/<id>/), and
                // nothing else of the export; "*" before the name also covers how DynamoDB joins its S3 prefix.
                PolicyStatement.allow("ReadExportManifests", List.of("s3:GetObject"),
                        List.of(objects + BackfillPolicies.EXPORTS + "*manifest-files.json")),
                PolicyStatement.allow("WriteMapRunResults", RESULT_WRITER_ACTIONS,
                        List.of(objects + BackfillPolicies.RESULTS + "*")),
                PolicyStatement.allow("StartMapRunChildren", List.of("states:StartExecution"),
                        List.of(arn.stateMachine(stateMachineName))),
                PolicyStatement.allow("ManageMapRunChildren", List.of("states:DescribeExecution",
                        "states:StopExecution"), mapRunLabels.stream()
                        .map(label -> arn.mapRunExecutions(stateMachineName, label)).toList()),
                PolicyStatement.allow("RedriveMapRunChildren", List.of("states:RedriveExecution"),
                        mapRunLabels.stream().map(label -> arn.mapRunExecutions(stateMachineName, label)).toList()))
                .toJson();
    }
}
