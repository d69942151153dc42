package dev.cdcrelay.stack.policy;

import dev.cdcrelay.stack.support.Policies;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class PolicyDocumentTest {

    @Test
    void jsonEscapesWhatJsonRequires() {
        var value = new LinkedHashMap<String, Object>();
        value.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007");
        value.put("numbers", List.of(1, 2.5));
        value.put("flag", true);
        value.put("nothing", null);
        var json = Json.write(value);
        assertEquals("{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\","
                + "\"numbers\":[1,2.5],\"flag\":true,\"nothing\":null}", json);
        assertEquals("quote \" backslash \\ newline \n tab \t bell \u0007", Policies.parse(json).get("text"));
    }

    @Test
    void jsonRefusesWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("when", new Object())));
    }

    @Test
    void identityStatementsHaveResourcesAndNoPrincipal() {
        var json = PolicyDocument.of(PolicyStatement.allow("Read", List.of("s3:GetObject"), List.of("arn:aws:s3:::b/*")))
                .toJson();
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Read\",\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}", json);
    }

    @Test
    void resourceStatementsHaveAPrincipalAndNoResource() {
        var statement = Policies.statements(PolicyDocument.of(
                PolicyStatement.allowPrincipal("Pull", "*", List.of("ecr:BatchGetImage"))).toJson()).get(0);
        assertEquals("*", statement.get("Principal"));
        assertFalse(statement.containsKey("Resource"));
    }

    @Test
    void lambdaArnIsBuiltFromTheRepositorysPartitionRegionAndAccount() {
        assertEquals("arn:aws-cn:lambda:cn-north-1:123456789012:function:relay",
                Arn.parse("arn:aws-cn:ecr:cn-north-1:123456789012:repository/relay-images").lambdaFunction("relay"));
        assertThrows(IllegalArgumentException.class, () -> Arn.parse("relay-images"));
    }

    @Test
    void functionPolicyGrantsDecryptOnlyForACustomerManagedKey() {
        var withoutKey = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.empty(),
                Optional.empty(), false);
        assertTrue(Policies.statement(withoutKey, "DecryptChangeStream").isEmpty());
        var withKey = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.of("k"),
                Optional.empty(), false);
        assertEquals(List.of("k"), Policies.strings(Policies.statement(withKey, "DecryptChangeStream").orElseThrow()
                .get("Resource")));
    }

    @Test
    void functionPolicyGrantsNetworkInterfaceActionsOnlyInAVpc() {
        var outside = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.empty(),
                Optional.empty(), false);
        assertTrue(Policies.statement(outside, "ManageVpcNetworkInterfaces").isEmpty());
        assertFalse(outside.contains("ec2:"));
        assertFalse(outside.contains("\"*\""));
        var inside = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.empty(),
                Optional.empty(), true);
        var interfaces = Policies.statement(inside, "ManageVpcNetworkInterfaces").orElseThrow();
        assertEquals(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"),
                Policies.strings(interfaces.get("Action")));
        assertEquals(List.of("*"), Policies.strings(interfaces.get("Resource")));
    }

    @Test
    void functionPolicyGrantsGetSecretValueOnlyOnThePasswordSecret() {
        var inEnvironment = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.empty(),
                Optional.empty(), false);
        assertTrue(Policies.statement(inEnvironment, "ReadCrateDbPassword").isEmpty());
        assertFalse(inEnvironment.contains("secretsmanager:"));
        var secretArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:relay-cratedb-password-AbC123";
        var inSecret = FunctionPolicies.permissionPolicy("s", "l", "q", "arn:aws:s3:::b", "p/", Optional.empty(),
                Optional.of(secretArn), false);
        var read = Policies.statement(inSecret, "ReadCrateDbPassword").orElseThrow();
        assertEquals(List.of("secretsmanager:GetSecretValue"), Policies.strings(read.get("Action")));
        assertEquals(List.of(secretArn), Policies.strings(read.get("Resource")));
    }

    @Test
    void lifecyclePolicyKeepsTheNewestImages() {
        @SuppressWarnings("unchecked")
        var rule = ((List<Map<String, Object>>) Policies.parse(RepositoryPolicies.lifecyclePolicy(5)).get("rules")).get(0);
        assertEquals(1.0, rule.get("rulePriority"));
        assertEquals(Map.of("tagStatus", "any", "countType", "imageCountMoreThan", "countNumber", 5.0),
                rule.get("selection"));
    }
}
