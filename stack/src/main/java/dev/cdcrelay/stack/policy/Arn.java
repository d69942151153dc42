package dev.cdcrelay.stack.policy;

/**
 * The parts of an ARN ({@code arn:partition:service:region:account:resource}), to build sibling
 * ARNs without an extra lookup of region and account.
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public static Arn parse(String arn) {
        var parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn")) {
            throw new IllegalArgumentException("not an ARN: " + arn);
        }
        return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** The ARN of a Lambda function with this ARN's partition, region and account. */
    public String lambdaFunction(String functionName) {
        return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + functionName;
    }

    /** A Step Functions state machine of this ARN's partition, region and account. */
    public String stateMachine(String stateMachineName) {
        return "arn:" + partition + ":states:" + region + ":" + account + ":stateMachine:" + stateMachineName;
    }

    /**
     * The executions a state machine's Distributed Map starts: named
     * {@code <stateMachineName>/<map run label>:<id>}.
     */
    public String mapRunExecutions(String stateMachineName, String mapRunLabel) {
        return "arn:" + partition + ":states:" + region + ":" + account + ":execution:" + stateMachineName + "/"
                + mapRunLabel + ":*";
    }
}
