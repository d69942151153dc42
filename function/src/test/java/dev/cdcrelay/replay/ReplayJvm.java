package dev.cdcrelay.replay;

import dev.cdcrelay.cli.Main;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code replay} in a JVM of its own, with the heap given, as an operator runs it, and reads
 * the peak heap from the JVM's own GC log: the heap in use just before each collection is the
 * highest it got in between, so the largest of those is the peak (to the MB the log prints).
 */
public final class ReplayJvm {

    /**
     * What came of one run. {@code peakHeapMb}: the most in use before a collection (garbage
     * included: how high the heap went); {@code liveHeapMb}: the most still in use right after one
     * (an upper bound of what the replay kept alive; garbage in generations not collected by that
     * pause counts too). Both empty when no collection ran at all.
     */
    public record Result(int exitCode, String output, OptionalLong peakHeapMb, OptionalLong liveHeapMb,
                         long wallMillis) {
    }

    private static final Pattern BEFORE_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private ReplayJvm() {
    }

    /** Records per chunk when {@code --chunk} is not given (for a benchmark that writes the same batches). */
    public static int defaultChunkRecords() {
        return ReplayOptions.DEFAULT_CHUNK;
    }

    /** Payload bytes at which a chunk is closed whatever its record count. */
    public static long maxChunkBytes() {
        return ReplayRun.MAX_CHUNK_BYTES;
    }

    /**
     * @param classPath  the function's class path ({@code function.jar:lib/*}, or a test JVM's)
     * @param jvmOptions e.g. {@code -Xmx256m}
     * @param env        the relay's environment (sink, table)
     * @param args       {@code replay ...}
     * @param stdin      fed to the child's standard input, if given
     */
    public static Result run(String classPath, List<String> jvmOptions, Map<String, String> env, List<String> args,
                             Path stdin, Path workDir, long timeoutMinutes) throws IOException, InterruptedException {
        Path gcLog = Files.createTempFile(workDir, "replay-gc", ".log");
        Path output = Files.createTempFile(workDir, "replay-out", ".txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // No rotation: no gc.log.0 left behind. replay moves to a second JVM with the same command
        // line (cli.CommandJvm): that one opens the file again and logs the replay's collections;
        // the first JVM only waits for it and collects nothing.
        command.add("-Xlog:gc:file=" + gcLog + "::filecount=0");
        // The jar's Main-Class, as `java -jar function.jar replay` runs it (it may move to a tuned JVM).
        command.addAll(List.of("-cp", classPath, Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("replay did not finish within " + timeoutMinutes + " minutes: "
                    + Files.readString(output));
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        String text = Files.readString(output, StandardCharsets.UTF_8);
        List<String> gcLines = Files.readAllLines(gcLog);
        OptionalLong peak = largest(gcLines, 1);
        OptionalLong live = largest(gcLines, 2);
        Files.deleteIfExists(gcLog);
        Files.deleteIfExists(output);
        return new Result(process.exitValue(), text, peak, live, wallMillis);
    }

    /** The largest "before" (group 1) or "after" (group 2) heap of the log's collections, in MB. */
    private static OptionalLong largest(List<String> gcLogLines, int group) {
        long largest = -1;
        for (String line : gcLogLines) {
            Matcher m = BEFORE_AFTER.matcher(line);
            if (m.find()) {
                largest = Math.max(largest, Long.parseLong(m.group(group)));
            }
        }
        return largest < 0 ? OptionalLong.empty() : OptionalLong.of(largest);
    }
}
