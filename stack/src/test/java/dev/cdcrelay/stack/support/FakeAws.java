package dev.cdcrelay.stack.support;

/** The account and region the mocks pretend to deploy into. */
public final class FakeAws {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "eu-central-1";
    public static final String REGISTRY = ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com";
    public static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    public static final String ECR_PASSWORD = "ecr-token-password";

    /** Pulumi auto-naming appends a random suffix to the logical name; the mocks append this one. */
    public static final String AUTO_NAME_SUFFIX = "-a1b2c3d";

    /** What Secrets Manager appends to a secret's name in its ARN. */
    public static final String SECRET_ARN_SUFFIX = "-AbC123";

    /** An existing table the lookup returns, keyed like the demo table. */
    public static final String EXISTING_TABLE = "sensor-readings";

    /** Further existing tables the lookup finds (keyed like the demo table): any name with this prefix. */
    public static final String OTHER_EXISTING_TABLES = "existing-";

    /** An existing stream the lookup finds, encrypted with a customer managed key named by alias. */
    public static final String EXISTING_STREAM = "processor-changes";
    public static final String EXISTING_STREAM_KEY_ALIAS = "alias/processor-stream";
    public static final String EXISTING_STREAM_KEY_ARN = arn("kms", "key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    /** An existing stream the lookup finds unencrypted, as the reference's CloudFormation stack creates it. */
    public static final String UNENCRYPTED_STREAM = "dynamodb-cdc";

    private FakeAws() {
    }

    public static String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }
}
