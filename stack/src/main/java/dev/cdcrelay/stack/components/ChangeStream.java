package dev.cdcrelay.stack.components;

import com.pulumi.aws.dynamodb.KinesisStreamingDestination;
import com.pulumi.aws.dynamodb.KinesisStreamingDestinationArgs;
import com.pulumi.aws.kinesis.Stream;
import com.pulumi.aws.kinesis.StreamArgs;
import com.pulumi.aws.kinesis.inputs.StreamStreamModeDetailsArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.StreamSettings;

import java.util.Map;

/** The Kinesis data stream and the table's streaming destination that fills it. */
public final class ChangeStream extends ComponentResource {

    /**
     * Change records are ordered and de-duplicated by ApproximateCreationDateTime; in milliseconds,
     * two changes of one item within a millisecond would tie.
     */
    static final String TIMESTAMP_PRECISION = "MICROSECOND";

    public final Output<String> streamArn;
    public final Output<String> streamName;

    public ChangeStream(String prefix, StreamSettings settings, Output<String> tableName, Map<String, String> tags,
                        Resource parent) {
        super("cdcrelay:components:ChangeStream", prefix + "-stream", ChildOptions.component(parent));
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

        this.streamArn = stream.arn();
        this.streamName = stream.name();
        registerOutputs(Map.of("streamArn", streamArn, "streamName", streamName));
    }
}
