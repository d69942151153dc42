package dev.cdcrelay.stack.policy;

import java.util.LinkedHashMap;
import java.util.List;

/** An IAM-style policy document (IAM, ECR repository and S3 bucket policies share the format). */
public record PolicyDocument(List<PolicyStatement> statements) {

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    public static PolicyDocument of(PolicyStatement... statements) {
        return new PolicyDocument(List.of(statements));
    }

    public String toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put("Version", "2012-10-17");
        json.put("Statement", statements.stream().map(PolicyStatement::toJsonValue).toList());
        return Json.write(json);
    }
}
