package dev.cdcrelay.stack.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.config.AlarmSettings;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three signs that the relay falls behind or drops data: the mapping's iterator age (records
 * wait in the stream), function errors (whole batches fail), and messages in the failure queue
 * (batches given up on). They notify an SNS topic when one is configured.
 * A single-table stack has one such component with all three; a stack of several tables has one per
 * table (iterator age and errors of its function) and one for the stack (the shared queue and topic).
 */
public final class Alarms extends ComponentResource {

    /** What the alarms watch; each present part gets its alarms. */
    public record Watched(Optional<Output<String>> functionName, Optional<Output<String>> failureQueueName) {

        public static Watched functionAndQueue(Output<String> functionName, Output<String> failureQueueName) {
            return new Watched(Optional.of(functionName), Optional.of(failureQueueName));
        }

        public static Watched function(Output<String> functionName) {
            return new Watched(Optional.of(functionName), Optional.empty());
        }

        public static Watched queue(Output<String> failureQueueName) {
            return new Watched(Optional.empty(), Optional.of(failureQueueName));
        }
    }

    /** Where the alarms notify. */
    public sealed interface Notification {

        /** As configured: a topic created here for alarmEmail, the existing alarmTopicArn, or nobody. */
        record AsConfigured() implements Notification {
        }

        /** A topic another Alarms component of the stack already resolved (or none). */
        record Shared(Optional<Output<String>> topicArn) implements Notification {
        }
    }

    /** The topic the alarms notify, if any. */
    public final Optional<Output<String>> topicArn;

    public Alarms(String prefix, AlarmSettings settings, Watched watched, Notification notification,
                  Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:Alarms", prefix + "-alarms", ChildOptions.component(parent));
        this.topicArn = notification instanceof Notification.Shared shared ? shared.topicArn()
                : notificationTopic(prefix, settings, tags);
        Output<List<String>> actions = topicArn.map(arn -> arn.applyValue(List::of)).orElse(Output.of(List.of()));
        watched.functionName().ifPresent(functionName -> functionAlarms(prefix, settings, functionName, actions, tags));
        watched.failureQueueName().ifPresent(queueName -> queueAlarm(prefix, settings, queueName, actions, tags));
        registerOutputs(topicArn.<Map<String, Output<?>>>map(arn -> Map.of("topicArn", arn)).orElse(Map.of()));
    }

    private void functionAlarms(String prefix, AlarmSettings settings, Output<String> functionName,
                                Output<List<String>> actions, Map<String, String> tags) {
        // Maximum, not Average: one shard stuck behind a poison record is the case to catch.
        new MetricAlarm(prefix + "-iterator-age", MetricAlarmArgs.builder()
                .alarmDescription("Change records wait in the Kinesis stream longer than "
                        + settings.iteratorAgeMs() + " ms: the relay falls behind or a shard is stuck")
                .namespace("AWS/Lambda").metricName("IteratorAge")
                .dimensions(functionName.applyValue(fn -> Map.of("FunctionName", fn)))
                .statistic("Maximum").period(60).evaluationPeriods(5).datapointsToAlarm(3)
                .comparisonOperator("GreaterThanThreshold").threshold((double) settings.iteratorAgeMs())
                .treatMissingData("notBreaching")
                .alarmActions(actions).okActions(actions)
                .tags(tags)
                .build(), ChildOptions.of(this));

        new MetricAlarm(prefix + "-function-errors", MetricAlarmArgs.builder()
                .alarmDescription("The relay function failed whole invocations (crash, timeout, unreachable CrateDB)")
                .namespace("AWS/Lambda").metricName("Errors")
                .dimensions(functionName.applyValue(fn -> Map.of("FunctionName", fn)))
                .statistic("Sum").period(300).evaluationPeriods(1)
                .comparisonOperator("GreaterThanOrEqualToThreshold").threshold((double) settings.errorsThreshold())
                .treatMissingData("notBreaching")
                .alarmActions(actions).okActions(actions)
                .tags(tags)
                .build(), ChildOptions.of(this));
    }

    private void queueAlarm(String prefix, AlarmSettings settings, Output<String> failureQueueName,
                            Output<List<String>> actions, Map<String, String> tags) {
        new MetricAlarm(prefix + "-failed-batches", MetricAlarmArgs.builder()
                .alarmDescription("Batches exhausted their retries: their metadata waits in the failure queue"
                        + " for replay")
                .namespace("AWS/SQS").metricName("ApproximateNumberOfMessagesVisible")
                .dimensions(failureQueueName.applyValue(queue -> Map.of("QueueName", queue)))
                .statistic("Maximum").period(300).evaluationPeriods(1)
                .comparisonOperator("GreaterThanOrEqualToThreshold")
                .threshold((double) settings.failureQueueThreshold())
                .treatMissingData("notBreaching")
                .alarmActions(actions).okActions(actions)
                .tags(tags)
                .build(), ChildOptions.of(this));
    }

    private Optional<Output<String>> notificationTopic(String prefix, AlarmSettings settings,
                                                       Map<String, String> tags) {
        if (settings.existingTopicArn().isPresent()) {
            return Optional.of(Output.of(settings.existingTopicArn().get()));
        }
        return settings.email().map(email -> {
            // Not encrypted with alias/aws/sns: CloudWatch may not use that key, and alarms would fail to publish.
            var topic = new Topic(prefix + "-alarms", TopicArgs.builder().tags(tags).build(), ChildOptions.of(this));
            // AWS mails a confirmation link; notifications start once it is clicked.
            new TopicSubscription(prefix + "-alarms-email", TopicSubscriptionArgs.builder()
                    .topic(topic.arn())
                    .protocol("email")
                    .endpoint(email)
                    .build(), ChildOptions.of(this));
            return topic.arn();
        });
    }
}
