package dev.cdcrelay.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM options a batch command wants for itself, and running the same command line again in a
 * JVM that has them. {@code java -jar function.jar replay} otherwise gets the JVM's defaults for a
 * long-running server: the C2 compiler, whose threads take CPU time for most of a short replay,
 * and G1 with its concurrent threads, on a machine where the database may share the CPUs. C1
 * alone and the serial collector (what the Lambda runtime and the image set too) made a cold
 * replay markedly faster (docs/performance-log.md, "Cold replay of 30,000 changes: where the time
 * goes"). A running JVM cannot change either, so the command starts a second one, once.
 *
 * <p>Nothing is added that the command line or the JVM's environment variables already decide (a
 * GC or a compiler option the user gave), and nothing is relaunched when the property
 * {@value #KEEP_PROPERTY} is {@code true} (set on the relaunched JVM, and for users who want the
 * JVM exactly as they started it) or when this JVM's own command line cannot be read or is not
 * that of this command (run inside another program's JVM).
 *
 * <p>Plain loops and string tests, no streams, lambdas or regular expressions: this runs in the
 * first JVM, where each of them costs class loading and bootstrapping that the replay waits for
 * (its CPU until the relaunch went from 100 to 70 ms, docs/performance-log.md, "Start-up (branch
 * replay-start ...)").
 */
final class CommandJvm {

    /** {@code -Dcdcrelay.keepJvm=true}: run in this JVM as it is. */
    static final String KEEP_PROPERTY = "cdcrelay.keepJvm";

    /** Where else JVM options come from: the launcher and the JVM read these too. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** The options wanted, each with what in a command line means the user decided it already. */
    private enum Wanted {
        C1_ONLY("-XX:TieredStopAtLevel=1") {
            @Override
            boolean decidedBy(String token) {
                return token.startsWith("-XX:TieredStopAtLevel") || token.endsWith("TieredCompilation")
                        || token.equals("-Xint") || token.equals("-Xcomp");
            }
        },
        SERIAL_GC("-XX:+UseSerialGC") {
            @Override
            boolean decidedBy(String token) { // -XX:+UseG1GC, -XX:-UseSerialGC, ...
                return (token.startsWith("-XX:+Use") || token.startsWith("-XX:-Use")) && token.endsWith("GC")
                        && isWord(token, "-XX:+Use".length(), token.length() - "GC".length());
            }
        };

        final String option;

        Wanted(String option) {
            this.option = option;
        }

        abstract boolean decidedBy(String token);

        private static boolean isWord(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '_')) {
                    return false;
                }
            }
            return true;
        }
    }

    private CommandJvm() {
    }

    /**
     * The command that runs this JVM's command line again with the wanted options in front (so that
     * anything the user wrote after them still wins), or empty: nothing to add, or no way to know
     * this JVM's command line.
     *
     * @param executable this process's executable, as {@link ProcessHandle.Info#command()} gives it
     * @param arguments  everything after it, as {@link ProcessHandle.Info#arguments()} gives it
     * @param keepJvm    the value of {@value #KEEP_PROPERTY}, if set
     */
    static Optional<List<String>> relaunchCommand(Optional<String> executable, Optional<String[]> arguments,
                                                  Map<String, String> env, Optional<String> keepJvm) {
        if ((keepJvm.isPresent() && Boolean.parseBoolean(keepJvm.get())) || executable.isEmpty()
                || arguments.isEmpty() || !isJavaLauncher(executable.get()) || !startsThisCommand(arguments.get())) {
            return Optional.empty();
        }
        List<String> tokens = new ArrayList<>(Arrays.asList(arguments.get()));
        for (String variable : OPTION_VARIABLES) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                tokens.addAll(Arrays.asList(value.trim().split("\\s+")));
            }
        }
        List<String> command = new ArrayList<>();
        command.add(executable.get());
        for (Wanted wanted : Wanted.values()) {
            if (!decided(wanted, tokens)) {
                command.add(wanted.option);
            }
        }
        if (command.size() == 1) {
            return Optional.empty();
        }
        command.add("-D" + KEEP_PROPERTY + "=true");
        command.addAll(Arrays.asList(arguments.get()));
        return Optional.of(command);
    }

    private static boolean decided(Wanted wanted, List<String> tokens) {
        for (String token : tokens) {
            if (wanted.decidedBy(token)) {
                return true;
            }
        }
        return false;
    }

    /** The relaunch for this JVM, from its own command line and environment. */
    static Optional<List<String>> relaunchCommand() {
        String keepJvm = System.getProperty(KEEP_PROPERTY);
        if (keepJvm != null && Boolean.parseBoolean(keepJvm)) {
            return Optional.empty(); // the relaunched JVM: its command line need not be read at all
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        return relaunchCommand(self.command(), self.arguments(), System.getenv(),
                Optional.ofNullable(System.getProperty(KEEP_PROPERTY)));
    }

    /**
     * Runs the command with this process's standard streams and working directory, and returns its
     * exit code. If this JVM is stopped (Ctrl-C, SIGTERM), the child is stopped too rather than
     * left running alone.
     */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread stopChild = new Thread() {
            @Override
            public void run() {
                child.destroy();
            }
        };
        Runtime.getRuntime().addShutdownHook(stopChild);
        int exit = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return exit;
    }

    /**
     * {@code -jar} (the function's jar) or this class's {@code Main} named: run in some other
     * program's JVM ({@code mvn exec:java}, an IDE's runner), its command line would start that
     * program again.
     */
    private static boolean startsThisCommand(String[] arguments) {
        return Arrays.asList(arguments).contains("-jar") || Arrays.asList(arguments).contains(Main.class.getName());
    }

    // A JVM started some other way (embedded, jshell) has a command line that does not start a JVM.
    private static boolean isJavaLauncher(String executable) {
        Path name = Path.of(executable).getFileName();
        return name != null && (name.toString().equals("java") || name.toString().equals("java.exe"));
    }
}
