package dev.cdcrelay.proof;

import com.amazonaws.services.lambda.runtime.Context;
import dev.cdcrelay.write.Deadline;

import java.lang.reflect.Proxy;

/** Lambda's context for handler-level tests, with a deadline (the event: {@code testing.LambdaInvocations}). */
final class LambdaEvents {

    private LambdaEvents() {
    }

    /** A Context whose remaining time follows the deadline; every other method answers null/0. */
    static Context context(Deadline deadline) {
        return (Context) Proxy.newProxyInstance(LambdaEvents.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> (int) Math.max(0, Math.min(Integer.MAX_VALUE, deadline.remainingMillis()));
                    case "getMemoryLimitInMB" -> 512;
                    case "getAwsRequestId" -> "test-request";
                    case "toString" -> "TestContext";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
