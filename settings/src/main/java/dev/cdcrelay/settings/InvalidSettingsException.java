package dev.cdcrelay.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The function's environment is unusable; the message lists every problem, one per line, each
 * starting with its variable. An IllegalArgumentException, as a bad argument to the function.
 */
public final class InvalidSettingsException extends IllegalArgumentException {

    private final List<SettingProblem> problems;

    public InvalidSettingsException(List<SettingProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SettingProblem> problems() {
        return problems;
    }

    private static String format(List<SettingProblem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        return "invalid environment (" + problems.size() + " problems):" + problems.stream()
                .map(problem -> System.lineSeparator() + "  - " + problem)
                .collect(Collectors.joining());
    }
}
