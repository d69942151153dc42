package dev.cdcrelay.stack.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** The Kinesis data stream the function reads: one the stack creates and fills, or an existing one. */
public sealed interface StreamSettings {

    String AWS_MANAGED_KEY = "alias/aws/kinesis";

    /**
     * A stream owned by this stack, fed by a streaming destination it adds to the table.
     *
     * @param shardCount present exactly when the mode is PROVISIONED
     * @param kmsKey     {@code alias/aws/kinesis} or the ARN of a customer managed key
     */
    record NewStream(StreamMode mode, OptionalInt shardCount, int retentionHours, String kmsKey)
            implements StreamSettings {

        public NewStream {
            Objects.requireNonNull(mode);
            Objects.requireNonNull(shardCount);
            Objects.requireNonNull(kmsKey);
        }

        /**
         * The key the function's role must be allowed to decrypt with: none for the AWS managed key, whose
         * key policy already admits every principal of the account that reads through Kinesis.
         */
        public Optional<String> customerManagedKeyArn() {
            return AWS_MANAGED_KEY.equals(kmsKey) ? Optional.empty() : Optional.of(kmsKey);
        }
    }

    /**
     * A stream someone else owns (typically the one a table already streams to, since a table has at
     * most one Kinesis destination): used as it is. Its encryption key is looked up at deploy time.
     */
    record ExistingStream(String arn) implements StreamSettings {

        public ExistingStream {
            Objects.requireNonNull(arn);
        }

        /** The stream's name: the part of the ARN after {@code stream/}. */
        public String name() {
            return arn.substring(arn.lastIndexOf(":stream/") + ":stream/".length());
        }
    }
}
