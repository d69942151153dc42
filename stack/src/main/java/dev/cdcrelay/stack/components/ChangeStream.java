package dev.cdcrelay.stack.components;

import com.pulumi.aws.dynamodb.KinesisStreamingDestination;
import com.pulumi.aws.dynamodb.KinesisStreamingDestinationArgs;
import com.pulumi.aws.kinesis.KinesisFunctions;
import com.pulumi.aws.kinesis.Stream;
import com.pulumi.aws.kinesis.StreamArgs;
import com.pulumi.aws.kinesis.inputs.GetStreamArgs;
import com.pulumi.aws.kinesis.inputs.StreamStreamModeDetailsArgs;
import com.pulumi.aws.kinesis.outputs.GetStreamResult;
import com.pulumi.aws.kms.KmsFunctions;
import com.pulumi.aws.kms.inputs.GetKeyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.ConfigKeys;
import dev.cdcrelay.stack.config.StreamSettings;

import java.util.Map;
import java.util.Optional;

/**
 * The Kinesis data stream the function reads: a new one with the table's streaming destination that
 * fills it, or an existing one (already filled by its table), only looked up.
 */
public final class ChangeStream extends ComponentResource {

    /**
     * Change records are ordered and de-duplicated by ApproximateCreationDateTime; in milliseconds,
     * two changes of one item within a millisecond would tie.
     */
    static final String TIMESTAMP_PRECISION = "MICROSECOND";

    /** KMS's name for keys a customer creates and controls (the other value, AWS, is for AWS managed keys). */
    static final String CUSTOMER_MANAGED = "CUSTOMER";

    public final Output<String> streamArn;
    public final Output<String> streamName;
    /**
     * The customer managed key the stream is encrypted with, which the function must be allowed to
     * decrypt with; none for an unencrypted stream or the AWS managed key (alias/aws/kinesis).
     */
    public final Output<Optional<String>> customerManagedKeyArn;

    /**
     * @param maximumRecordAgeSeconds how old a record the mapping still waits for; an existing stream must
     *                                retain records at least that long (a new one is checked with the config)
     */
    public ChangeStream(String prefix, StreamSettings settings, Output<String> tableName, int maximumRecordAgeSeconds,
                        Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:ChangeStream", prefix + "-stream", ChildOptions.component(parent));
        if (settings instanceof StreamSettings.NewStream own) {
            var stream = create(prefix, own, tableName, tags);
            this.streamArn = stream.arn();
            this.streamName = stream.name();
            this.customerManagedKeyArn = Output.of(own.customerManagedKeyArn());
        } else {
            // Looked up, never registered as a resource: `pulumi destroy` cannot delete the stream, and the
            // table's destination into it is left alone. Its encryption is read from AWS, not configured.
            var existing = (StreamSettings.ExistingStream) settings;
            var described = KinesisFunctions.getStream(GetStreamArgs.builder().name(existing.name()).build())
                    .applyValue(found -> usable(existing, found, maximumRecordAgeSeconds));
            this.streamArn = described.applyValue(GetStreamResult::arn);
            this.streamName = described.applyValue(GetStreamResult::name);
            this.customerManagedKeyArn = described.apply(ChangeStream::customerManagedKey);
        }
        registerOutputs(Map.of("streamArn", streamArn, "streamName", streamName));
    }

    private Stream create(String prefix, StreamSettings.NewStream settings, Output<String> tableName,
                          Map<String, String> tags) {
        var args = StreamArgs.builder()
                .streamModeDetails(StreamStreamModeDetailsArgs.builder()
                        .streamMode(settings.mode().configValue()).build())
                .retentionPeriod(settings.retentionHours())
                .encryptionType("KMS")
                .kmsKeyId(settings.kmsKey())
                .tags(tags);
        settings.shardCount().ifPresent(args::shardCount);
        var stream = new Stream(prefix + "-changes", args.build(), ChildOptions.of(this));

        new KinesisStreamingDestination(prefix + "-changes-destination", KinesisStreamingDestinationArgs.builder()
                .tableName(tableName)
                .streamArn(stream.arn())
                .approximateCreationDateTimePrecision(TIMESTAMP_PRECISION)
                .build(), ChildOptions.of(this));
        return stream;
    }

    /**
     * The stream as looked up, if the relay can use it. The lookup goes by name in the account and region
     * the stack deploys to, so a configured ARN of another account would otherwise be read through a
     * same-named stream of this one. Failing here fails the role's policy and the mapping, which need it.
     */
    static GetStreamResult usable(StreamSettings.ExistingStream configured, GetStreamResult found,
                                  int maximumRecordAgeSeconds) {
        if (!configured.arn().equals(found.arn())) {
            throw new IllegalStateException(ConfigKeys.EXISTING_STREAM_ARN + ": the stream named '"
                    + configured.name() + "' where the stack deploys is " + found.arn() + ", not " + configured.arn()
                    + "; the stream must be in the account and region the stack deploys to");
        }
        if (found.retentionPeriod() != null && maximumRecordAgeSeconds > found.retentionPeriod() * 3600) {
            throw new IllegalStateException(ConfigKeys.MAXIMUM_RECORD_AGE_SECONDS + ": " + maximumRecordAgeSeconds
                    + " exceeds the retention of " + found.retentionPeriod() * 3600 + " s of the existing stream "
                    + found.name() + ": records would expire unreported");
        }
        return found;
    }

    /** Kinesis names the key as it was given (key id, key ARN, alias name or alias ARN); KMS resolves it. */
    private static Output<Optional<String>> customerManagedKey(GetStreamResult stream) {
        if (!"KMS".equals(stream.encryptionType())) {
            return Output.of(Optional.empty());
        }
        return KmsFunctions.getKey(GetKeyArgs.builder().keyId(stream.kmsKeyId()).build())
                .applyValue(key -> CUSTOMER_MANAGED.equals(key.keyManager())
                        ? Optional.of(key.arn()) : Optional.<String>empty());
    }
}
