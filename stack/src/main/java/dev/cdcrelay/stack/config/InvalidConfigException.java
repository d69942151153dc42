package dev.cdcrelay.stack.config;

import java.util.List;

/** The stack configuration is unusable; {@link #problems()} names every offending key. */
public final class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the config key it is about. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        var text = new StringBuilder("Invalid stack configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("); fix with `pulumi config set <key> <value>`:");
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return text.toString();
    }
}
