package dev.cdcrelay.replay;

/**
 * An {@code s3://bucket/prefix} argument. The prefix is taken as written (it may end inside a
 * name, e.g. {@code dead-letter/2024/07/1}); no leading slash.
 */
record S3Location(String bucket, String prefix) {

    static final String SCHEME = "s3://";

    static boolean isS3(String argument) {
        return argument.startsWith(SCHEME);
    }

    static S3Location parse(String argument) {
        if (!isS3(argument)) {
            throw new IllegalArgumentException(argument + ": not an s3://bucket/prefix location");
        }
        String rest = argument.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isBlank()) {
            throw new IllegalArgumentException(argument + ": no bucket name (expected s3://bucket/prefix)");
        }
        return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** For a move target: a bare {@code prefix} means this bucket; a missing trailing slash is added. */
    static S3Location moveTarget(String argument, String defaultBucket) {
        S3Location location = isS3(argument) ? parse(argument) : new S3Location(defaultBucket, argument);
        String prefix = location.prefix.startsWith("/") ? location.prefix.substring(1) : location.prefix;
        return new S3Location(location.bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** True when every key under {@code other} is also under this location (same bucket). */
    boolean contains(S3Location other) {
        return bucket.equals(other.bucket) && other.prefix.startsWith(prefix);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + prefix;
    }
}
