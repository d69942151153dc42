package dev.cdcrelay.deadletter;

import java.net.URI;
import java.util.Objects;

/**
 * How the S3 dead-letter sink reaches S3. Plain values only, no AWS SDK types: building the sink
 * must not load the SDK (see {@link S3DeadLetterSink}).
 *
 * <p>In AWS: {@link #fromEnvironment()}, region from {@code AWS_REGION} and the SDK's default
 * credentials. Tests point it at a local server with {@link #withEndpoint}, {@link
 * #withPathStyleAccess} and {@link #withStaticCredentials}.
 */
public final class S3ClientSettings {

    /** The SDK's standard retry mode makes 3 attempts; bounded so a dead S3 cannot stall a batch. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final String region;
    private final URI endpoint;
    private final boolean pathStyleAccess;
    private final int maxAttempts;
    private final String accessKeyId;
    private final String secretAccessKey;

    private S3ClientSettings(String region, URI endpoint, boolean pathStyleAccess, int maxAttempts,
                             String accessKeyId, String secretAccessKey) {
        this.region = region;
        this.endpoint = endpoint;
        this.pathStyleAccess = pathStyleAccess;
        this.maxAttempts = maxAttempts;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /**
     * Region from {@code AWS_REGION} (Lambda always sets it), default credentials. Fails at once
     * when the region is missing: better at start-up than at the first poison record.
     */
    public static S3ClientSettings fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set; the S3 dead-letter sink needs it");
        }
        return forRegion(region);
    }

    public static S3ClientSettings forRegion(String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region is required");
        }
        return new S3ClientSettings(region.trim(), null, false, DEFAULT_MAX_ATTEMPTS, null, null);
    }

    /** Sends requests to this endpoint instead of AWS's (a test server, or a VPC endpoint). */
    public S3ClientSettings withEndpoint(URI endpoint) {
        return new S3ClientSettings(region, Objects.requireNonNull(endpoint, "endpoint"), pathStyleAccess,
                maxAttempts, accessKeyId, secretAccessKey);
    }

    /** {@code <endpoint>/<bucket>/<key>} instead of {@code <bucket>.<endpoint>/<key>}. */
    public S3ClientSettings withPathStyleAccess() {
        return new S3ClientSettings(region, endpoint, true, maxAttempts, accessKeyId, secretAccessKey);
    }

    /** Attempts per PutObject, first one included (the SDK's standard retry strategy). */
    public S3ClientSettings withMaxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
        }
        return new S3ClientSettings(region, endpoint, pathStyleAccess, attempts, accessKeyId, secretAccessKey);
    }

    /** Fixed credentials instead of the default chain: for tests, so they never touch real ones. */
    public S3ClientSettings withStaticCredentials(String accessKeyId, String secretAccessKey) {
        return new S3ClientSettings(region, endpoint, pathStyleAccess, maxAttempts,
                Objects.requireNonNull(accessKeyId, "accessKeyId"),
                Objects.requireNonNull(secretAccessKey, "secretAccessKey"));
    }

    String region() {
        return region;
    }

    /** Null for AWS's own endpoint. */
    URI endpoint() {
        return endpoint;
    }

    boolean pathStyleAccess() {
        return pathStyleAccess;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return "S3ClientSettings[region=" + region
                + (endpoint == null ? "" : ", endpoint=" + endpoint)
                + (pathStyleAccess ? ", pathStyleAccess" : "")
                + ", maxAttempts=" + maxAttempts
                + ", credentials=" + (hasStaticCredentials() ? "static" : "default chain") + "]";
    }
}
