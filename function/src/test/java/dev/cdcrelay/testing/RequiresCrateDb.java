package dev.cdcrelay.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test class that needs CrateDB ({@code CRATEDB_JDBC_URL}). Without it each test is disabled
 * one by one, not the class as a whole, so the run counts every test as skipped instead of
 * "Tests run: 0", and the reason is printed once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresCrateDb.Condition.class)
public @interface RequiresCrateDb {

    final class Condition implements ExecutionCondition {

        private static final AtomicBoolean SAID = new AtomicBoolean();

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isEmpty() || TestSinks.cratedbUrl() != null) {
                return ConditionEvaluationResult.enabled("CrateDB configured, or not a test method");
            }
            if (!SAID.getAndSet(true)) {
                System.out.println(TestSinks.CRATEDB_SKIP_REASON);
            }
            return ConditionEvaluationResult.disabled(TestSinks.CRATEDB_SKIP_REASON);
        }
    }
}
