package dev.cdcrelay.deadletter;

import java.util.List;
import java.util.Objects;

/**
 * Dead letters as S3 objects: {@code <prefix><yyyy>/<MM>/<dd>/<sequenceNumber>-<hash>.json}
 * (date of failure, UTC), one PutObject per letter, {@code application/json}, encrypted with
 * S3-managed keys (SSE-S3). S3 because a DynamoDB item can be 400 KB and no queue takes that.
 *
 * <p>No AWS SDK type appears in this class: the S3 client is built on the first {@link #send},
 * so a Lambda that never meets a poison record never pays for loading the SDK.
 */
public final class S3DeadLetterSink implements DeadLetterSink {

    private final String bucket;
    private final String prefix;
    private final S3ClientSettings settings;
    private S3ObjectUploader uploader; // built on first send; guarded by this

    /** For Lambda: region from {@code AWS_REGION}, default credentials. */
    public static S3DeadLetterSink fromEnvironment(String bucket, String prefix) {
        return new S3DeadLetterSink(bucket, prefix, S3ClientSettings.fromEnvironment());
    }

    /**
     * @param prefix key prefix, may be empty; a missing trailing {@code /} is added so that
     *               {@code dead-letters} and {@code dead-letters/} mean the same
     */
    public S3DeadLetterSink(String bucket, String prefix, S3ClientSettings settings) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the dead-letter bucket name is required");
        }
        this.bucket = bucket.trim();
        this.prefix = normalizePrefix(prefix);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String withoutLeadingSlash = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        return withoutLeadingSlash.isEmpty() || withoutLeadingSlash.endsWith("/")
                ? withoutLeadingSlash : withoutLeadingSlash + "/";
    }

    /** Uploads in flight at once: a flood of poison records must not eat the invocation's time. */
    static final int PARALLEL_UPLOADS = 8;

    private java.util.concurrent.ExecutorService pool; // built on first multi-letter send; guarded by this

    @Override
    public void send(List<DeadLetter> letters) throws DeadLetterException {
        if (letters.isEmpty()) {
            return;
        }
        S3ObjectUploader s3 = uploader();
        if (letters.size() == 1) {
            put(s3, letters.get(0), 0, 1);
            return;
        }
        java.util.concurrent.ExecutorService uploads = pool();
        List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            pending.add(uploads.submit(() -> {
                put(s3, letter, -1, letters.size());
                return null;
            }));
        }
        DeadLetterException first = null;
        int failed = 0;
        for (java.util.concurrent.Future<?> f : pending) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                if (first == null) {
                    first = e.getCause() instanceof DeadLetterException d ? d
                            : new DeadLetterException("dead letter not stored: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadLetterException("interrupted while storing dead letters", e);
            }
        }
        if (first != null) {
            throw new DeadLetterException(failed + " of " + letters.size() + " dead letters not stored; first: "
                    + first.getMessage(), first.getCause());
        }
    }

    private void put(S3ObjectUploader s3, DeadLetter letter, int storedBefore, int total) throws DeadLetterException {
        try {
            s3.put(bucket, DeadLetterNames.s3Key(prefix, letter), DeadLetterCodec.write(letter));
        } catch (DeadLetterException e) {
            throw new DeadLetterException("dead letter for sequence number " + letter.record().sequenceNumber()
                    + " not stored" + (storedBefore >= 0 ? " (" + storedBefore + " of " + total + " stored before it)" : "")
                    + ": " + e.getMessage(), e.getCause());
        }
    }

    private synchronized java.util.concurrent.ExecutorService pool() {
        if (pool == null) {
            pool = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL_UPLOADS, r -> {
                Thread t = new Thread(r, "dead-letter-upload");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** The S3 key a letter is stored under. */
    String keyFor(DeadLetter letter) {
        return DeadLetterNames.s3Key(prefix, letter);
    }

    private synchronized S3ObjectUploader uploader() throws DeadLetterException {
        if (uploader == null) {
            try {
                uploader = new S3ObjectUploader(settings);
            } catch (RuntimeException e) {
                // Not cached: the next send tries again (e.g. credentials not there yet).
                throw new DeadLetterException("cannot create the S3 client for " + describe() + " (" + settings
                        + "): " + e.getMessage(), e);
            }
        }
        return uploader;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
        if (uploader != null) {
            uploader.close();
            uploader = null;
        }
    }
}
