package dev.cdcrelay.credentials;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;
import java.time.Duration;

/**
 * Reads the database password from AWS Secrets Manager once, at start-up. A Lambda environment
 * variable is readable by anyone allowed to read the function's configuration; a secret is
 * readable only by the roles its policy names (the function's own, as the Pulumi program sets it).
 *
 * <p>Errors name the setting and the secret, never the value.
 */
public final class SecretsManagerPassword {

    private SecretsManagerPassword() {
    }

    /** For Lambda: region from {@code AWS_REGION}, default credentials, optional endpoint (VPC endpoints). */
    public static String fetch(String secretArn, String region, String endpoint) {
        return fetch(secretArn, region, endpoint, DefaultCredentialsProvider.builder().build());
    }

    public static String fetch(String secretArn, String region, String endpoint, AwsCredentialsProvider credentials) {
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("CRATEDB_PASSWORD_SECRET_ARN is set but AWS_REGION is not");
        }
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(15)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        try (SecretsManagerClient client = builder.build()) {
            GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(secretArn));
            String value = response.secretString();
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("CRATEDB_PASSWORD_SECRET_ARN: secret " + secretArn
                        + " has no text value (SecretString); store the password as plain text");
            }
            return value;
        } catch (SdkException e) {
            throw new IllegalStateException("CRATEDB_PASSWORD_SECRET_ARN: cannot read secret " + secretArn + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no details";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
