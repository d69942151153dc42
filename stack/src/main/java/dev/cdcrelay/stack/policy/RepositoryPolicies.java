package dev.cdcrelay.stack.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ECR repository's access and lifecycle policies. */
public final class RepositoryPolicies {

    /** What pulling an image takes: layer check, manifest, layer download. */
    public static final List<String> PULL_ACTIONS = List.of(
            "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");

    private RepositoryPolicies() {
    }

    /**
     * Lets the relay's function pull (Lambda adds that statement itself when missing, and the next
     * `pulumi up` would take it out again: declaring it keeps the two from fighting), and, when asked,
     * anybody else.
     *
     * @param functionNames the stack's functions; one is written as a string, as policies were before
     *                      stacks had several, so a single-table stack's policy does not change
     */
    public static String accessPolicy(String repositoryArn, List<String> functionNames, boolean publicPull) {
        var arn = Arn.parse(repositoryArn);
        List<String> functionArns = functionNames.stream().map(arn::lambdaFunction).toList();
        Object sourceArns = functionArns.size() == 1 ? functionArns.get(0) : functionArns;
        var lambdaPull = PolicyStatement.allowPrincipal("LambdaECRImageRetrievalPolicy",
                        Map.of("Service", "lambda.amazonaws.com"),
                        List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"))
                .withCondition(Map.of("StringLike",
                        Map.of("aws:sourceArn", sourceArns)));
        if (!publicPull) {
            return PolicyDocument.of(lambdaPull).toJson();
        }
        return PolicyDocument.of(lambdaPull, PolicyStatement.allowPrincipal("PublicPull", "*", PULL_ACTIONS)).toJson();
    }

    /** Expires all but the newest {@code keepImages} images; the function runs the newest. */
    public static String lifecyclePolicy(int keepImages) {
        var selection = new LinkedHashMap<String, Object>();
        selection.put("tagStatus", "any");
        selection.put("countType", "imageCountMoreThan");
        selection.put("countNumber", keepImages);
        var rule = new LinkedHashMap<String, Object>();
        rule.put("rulePriority", 1);
        rule.put("description", "Keep the newest " + keepImages + " images");
        rule.put("selection", selection);
        rule.put("action", Map.of("type", "expire"));
        return Json.write(Map.of("rules", List.of(rule)));
    }
}
