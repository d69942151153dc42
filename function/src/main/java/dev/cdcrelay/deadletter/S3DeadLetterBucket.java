package dev.cdcrelay.deadletter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Reading dead letters back from S3, for replay: list the objects under a prefix, stream one, move
 * one to another prefix. Unlike {@link S3DeadLetterSink} (which runs in Lambda and trusts only
 * {@code AWS_REGION}), this runs on an operator's machine, so region and credentials come from the
 * SDK's default chains, {@code ~/.aws/config} and profiles included.
 */
public final class S3DeadLetterBucket implements AutoCloseable {

    /** One object of a listing. */
    public record StoredObject(String key, long size) {
    }

    // A replay reads objects one after the other: a stalled connection must fail, not hang.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client s3;

    private S3DeadLetterBucket(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Default region and credential chains; a bucket in another region than the configured one
     * is followed. {@code AWS_ENDPOINT_URL_S3} (read by the SDK itself) points it elsewhere.
     *
     * @throws DeadLetterException no region is configured anywhere
     */
    public static S3DeadLetterBucket withDefaultChains() throws DeadLetterException {
        try {
            return new S3DeadLetterBucket(S3Client.builder()
                    .httpClientBuilder(httpClient())
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .crossRegionAccessEnabled(true)
                    .build());
        } catch (SdkException e) {
            throw new DeadLetterException("cannot create the S3 client (set AWS_REGION or a region in the AWS "
                    + "profile): " + e.getMessage(), e);
        }
    }

    /** As the settings say (tests: a local server, fixed credentials). */
    public static S3DeadLetterBucket with(S3ClientSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(httpClient())
                .forcePathStyle(settings.pathStyleAccess())
                .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                        .toBuilder().maxAttempts(settings.maxAttempts()).build()));
        if (settings.hasStaticCredentials()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new S3DeadLetterBucket(builder.build());
    }

    private static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT);
    }

    /**
     * Every object under the prefix, in key order, fetched a page (up to 1,000 keys) at a time as
     * the iteration goes: a listing of any length costs one page of memory. An error while paging
     * surfaces as an {@link UncheckedIOException} from the iterator, naming the location.
     */
    public Iterable<StoredObject> list(String bucket, String prefix) {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        return () -> {
            Iterator<S3Object> objects;
            try {
                objects = s3.listObjectsV2Paginator(request).contents().iterator(); // fetches the first page
            } catch (SdkException e) {
                throw listingFailed(bucket, prefix, e);
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    try {
                        return objects.hasNext();
                    } catch (SdkException e) {
                        throw listingFailed(bucket, prefix, e);
                    }
                }

                @Override
                public StoredObject next() {
                    try {
                        S3Object object = objects.next();
                        return new StoredObject(object.key(), object.size() == null ? 0 : object.size());
                    } catch (SdkException e) {
                        throw listingFailed(bucket, prefix, e);
                    }
                }
            };
        };
    }

    private static UncheckedIOException listingFailed(String bucket, String prefix, SdkException e) {
        String message = "ListObjectsV2 s3://" + bucket + "/" + prefix + " failed: " + e.getMessage();
        return new UncheckedIOException(message, new IOException(message, e));
    }

    /** The object's bytes as they arrive; the caller closes the stream. */
    public InputStream open(String bucket, String key) throws IOException {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw new IOException("GetObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the object to the new key (same encryption as the dead-letter sink's), then deletes
     * the original. If the delete fails, both copies exist: replaying either again is harmless.
     */
    public void move(String bucket, String key, String toBucket, String toKey) throws DeadLetterException {
        try {
            s3.copyObject(CopyObjectRequest.builder()
                    .sourceBucket(bucket).sourceKey(key)
                    .destinationBucket(toBucket).destinationKey(toKey)
                    .serverSideEncryption(ServerSideEncryption.AES256)
                    .build());
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw new DeadLetterException("moving s3://" + bucket + "/" + key + " to s3://" + toBucket + "/" + toKey
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
