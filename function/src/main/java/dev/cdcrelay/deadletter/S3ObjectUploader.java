package dev.cdcrelay.deadletter;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The only class that touches the AWS SDK. {@link S3DeadLetterSink} creates it on the first send,
 * so the SDK's classes load only when a poison record appears, never at cold start.
 */
final class S3ObjectUploader implements AutoCloseable {

    // Well inside a Lambda's timeout: a hanging S3 must fail the send, not the whole invocation.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);

    private final S3Client s3;

    S3ObjectUploader(S3ClientSettings settings) {
        this.s3 = build(settings);
    }

    private static S3Client build(S3ClientSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .forcePathStyle(settings.pathStyleAccess())
                .overrideConfiguration(override -> override
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .build())
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        // Behaviour comes from code and AWS_REGION, not from whatever ~/.aws/config
                        // the machine happens to have.
                        .defaultProfileFileSupplier(S3ObjectUploader::emptyProfileFile));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3ClientSettings settings) {
        if (settings.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static ProfileFile emptyProfileFile() {
        return ProfileFile.aggregator().build();
    }

    /** One PutObject, encrypted at rest with S3-managed keys. */
    void put(String bucket, String key, byte[] document) throws DeadLetterException {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("application/json")
                .serverSideEncryption(ServerSideEncryption.AES256)
                .build();
        try {
            s3.putObject(request, RequestBody.fromBytes(document));
        } catch (RuntimeException e) { // SdkException, and anything unexpected: never lose a letter silently
            throw new DeadLetterException("PutObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
