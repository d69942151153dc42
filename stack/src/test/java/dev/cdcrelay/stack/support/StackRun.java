package dev.cdcrelay.stack.support;

import com.pulumi.core.Output;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.PulumiTestInternal;
import dev.cdcrelay.settings.RelaySettings;
import dev.cdcrelay.stack.App;
import dev.cdcrelay.stack.config.FunctionEnvironment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.Collectors;

/** One run of the real program ({@link App#stack}) against the mocks, and what it declared. */
public final class StackRun {

    public static final String PROJECT = "dynamodb-cdc-relay";
    public static final String STACK = "dev";
    public static final String PREFIX = "dynamodb-cdc-relay-dev";
    static final String FUNCTION_TYPE = "aws:lambda/function:Function";

    private final RelayMocks mocks;
    private final RecordingMonitor monitor;
    private final TestResult result;

    private StackRun(RelayMocks mocks, RecordingMonitor monitor, TestResult result) {
        this.mocks = mocks;
        this.monitor = monitor;
        this.result = result;
    }

    /**
     * @param config     short keys of the project namespace
     * @param secretKeys which of them are stored as secrets
     */
    public static StackRun run(Map<String, String> config, Set<String> secretKeys) {
        return run(config, secretKeys, Level.INFO);
    }

    /** For runs meant to fail: the SDK would log the expected error as SEVERE. */
    public static StackRun runExpectingFailure(Map<String, String> config, Set<String> secretKeys) {
        return run(config, secretKeys, Level.OFF);
    }

    private static StackRun run(Map<String, String> config, Set<String> secretKeys, Level logLevel) {
        var mocks = new RelayMocks();
        var monitor = new AtomicReference<RecordingMonitor>();
        var fullConfig = new HashMap<String, String>();
        fullConfig.put("aws:region", FakeAws.REGION);
        config.forEach((key, value) -> fullConfig.put(PROJECT + ":" + key, value));
        var fullSecretKeys = secretKeys.stream().map(key -> PROJECT + ":" + key).collect(Collectors.toSet());
        // One logger for the SDK and the monitor: PulumiTestInternal.logger sets the level of a shared logger.
        var logger = PulumiTestInternal.logger(logLevel);
        TestResult result;
        try {
            result = PulumiTestInternal.builder()
                    .standardLogger(logger)
                    .options(TestOptions.builder().projectName(PROJECT).stackName(STACK).preview(false).build())
                    .mocks(mocks)
                    .config(fullConfig, fullSecretKeys)
                    .monitorDecorator(original -> {
                        monitor.set(new RecordingMonitor(mocks, PulumiTestInternal.mockLog(logger)));
                        return monitor.get();
                    })
                    .build()
                    .runTest(App::stack);
        } finally {
            // Results stay readable; the next run needs the deployment singleton gone.
            PulumiTest.cleanup();
        }
        var run = new StackRun(mocks, monitor.get(), result);
        run.requireTheFunctionAcceptsItsEnvironment();
        return run;
    }

    /**
     * The contract between stack and function, checked on every mocks run: whatever environment the
     * program gives the function, the function's own reader ({@link RelaySettings}) accepts it.
     */
    private void requireTheFunctionAcceptsItsEnvironment() {
        for (var environment : functionEnvironments()) {
            var problems = FunctionEnvironment.problemsWith(environment);
            if (!problems.isEmpty()) {
                throw new AssertionError("the function would refuse the environment the stack gave it: " + problems);
            }
        }
    }

    /** The environment variables of every Lambda function the run declared. */
    public List<Map<String, String>> functionEnvironments() {
        return registrations().stream().filter(r -> r.type().equals(FUNCTION_TYPE))
                .map(r -> variables(r.inputs().get("environment")))
                .toList();
    }

    private static Map<String, String> variables(Object environment) {
        var variables = new HashMap<String, String>();
        if (environment instanceof Map<?, ?> block && block.get("variables") instanceof Map<?, ?> values) {
            values.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
        }
        return variables;
    }

    /** Every message of the run's failures and their causes, one a line. */
    public String failureMessages() {
        var text = new StringBuilder();
        for (Throwable failure : result.exceptions()) {
            for (var cause = failure; cause != null; cause = cause.getCause()) {
                text.append(cause.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    public TestResult result() {
        return result;
    }

    public RelayMocks mocks() {
        return mocks;
    }

    public List<RelayMocks.Registration> registrations() {
        return mocks.registrations();
    }

    /** The inputs of the one resource of this type and logical name. */
    public Map<String, Object> inputs(String type, String name) {
        var matches = registrations().stream().filter(r -> r.type().equals(type) && r.name().equals(name)).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + name + ", found " + matches.size()
                    + " among " + registrations().stream().map(r -> r.type() + " " + r.name()).toList());
        }
        return matches.get(0).inputs();
    }

    /** Logical names of every resource of this type. */
    public List<String> names(String type) {
        return registrations().stream().filter(r -> r.type().equals(type)).map(RelayMocks.Registration::name).toList();
    }

    /** Every URN the run registered or read, sorted. */
    public List<String> urns() {
        return monitor.urns().stream().sorted().toList();
    }

    public boolean isSecretInput(String type, String name, String path) {
        return monitor.isSecret(type, name, path);
    }

    public boolean dependsOn(String type, String name, String dependencyType, String dependencyName) {
        return monitor.dependsOn(type, name, dependencyType, dependencyName);
    }

    public boolean deletesBeforeReplacing(String type, String name) {
        return monitor.deletesBeforeReplacing(type, name);
    }

    public Set<String> secretInputs(String type, String name) {
        return monitor.secretPaths(type, name);
    }

    /** The resolved value of a stack output. */
    public Object output(String name) {
        return outputData(name).getValueNullable();
    }

    public boolean outputIsSecret(String name) {
        return outputData(name).isSecret();
    }

    private com.pulumi.core.internal.OutputData<?> outputData(String name) {
        Output<?> output = result.outputs().get(name);
        if (output == null) {
            throw new AssertionError("no stack output " + name + " among " + result.outputs().keySet());
        }
        return PulumiTestInternal.extractOutputData(output);
    }
}
