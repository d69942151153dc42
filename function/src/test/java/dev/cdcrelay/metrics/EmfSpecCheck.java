package dev.cdcrelay.metrics;

import java.util.List;

/** {@link EmfSpec} for tests in other packages. */
public final class EmfSpecCheck {

    private EmfSpecCheck() {
    }

    /** Every rule of the embedded metric format specification the log event breaks. */
    public static List<String> problems(String logEvent) {
        return EmfSpec.problems(logEvent);
    }
}
