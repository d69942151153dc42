package dev.cdcrelay.backfill.s3;

import dev.cdcrelay.backfill.BackfillRefusedException;
import dev.cdcrelay.backfill.RetryableBackfillException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** {@link ObjectStore} on S3; written objects are encrypted with S3's own keys (SSE-S3). */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;

    public S3ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 403 && !listed(bucket, key)) {
                // S3 answers 403, not 404, for a missing key unless s3:ListBucket applies to the request;
                // a ListBucket grant limited by an s3:prefix condition may not. A listing of the key says.
                return Optional.empty();
            }
            throw failed("GetObject", bucket, key, e);
        } catch (SdkException e) {
            throw failed("GetObject", bucket, key, e);
        }
    }

    /** Whether the listing of the bucket under the key holds the key itself. */
    private boolean listed(String bucket, String key) {
        try {
            return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
                    .anyMatch(o -> o.key().equals(key));
        } catch (SdkException e) {
            throw failed("ListObjectsV2", bucket, key, e);
        }
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException("s3://" + bucket + "/" + key);
        } catch (S3Exception e) {
            if (e.statusCode() == 403 && !listed(bucket, key)) {
                throw new NoSuchFileException("s3://" + bucket + "/" + key); // see read()
            }
            throw failed("GetObject", bucket, key, e);
        } catch (SdkException e) {
            throw failed("GetObject", bucket, key, e);
        }
    }

    @Override
    public void write(String bucket, String key, byte[] content) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failed("PutObject", bucket, key, e);
        }
    }

    /** Denied or malformed: refused (a missing permission is not cured by waiting); anything else passes. */
    static RuntimeException failed(String operation, String bucket, String key, SdkException e) {
        String what = operation + " s3://" + bucket + "/" + key + " failed: " + e.getMessage();
        if (e instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 400)) {
            return new BackfillRefusedException(what + " (does the backfill function's role allow it?)");
        }
        return new RetryableBackfillException(what, e); // throttled, 5xx, no connection: worth a retry
    }
}
