package dev.cdcrelay.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * For test classes that provoke failures on purpose: every line their code under test prints on
 * {@code System.out} (e.g. the handler's {@code [cdc-relay] batch ... failed=1} line) reaches the
 * console as {@code [expected] ...}, so a green build's output does not read like a failing one.
 * The lines stay visible: a test that fails for another reason still shows what happened.
 */
public final class ExpectedFailureOutput implements BeforeEachCallback, AfterEachCallback {

    public static final String PREFIX = "[expected] ";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ExpectedFailureOutput.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        PrintStream original = System.out;
        context.getStore(NAMESPACE).put("out", original);
        System.setOut(new PrintStream(new Prefixing(original), true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PrintStream original = context.getStore(NAMESPACE).remove("out", PrintStream.class);
        System.out.flush();
        System.setOut(original);
    }

    /** Writes each complete line to the target with the prefix. */
    private static final class Prefixing extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Prefixing(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                target.println(PREFIX + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush() {
            target.flush(); // a partial line waits for its end
        }
    }
}
