package dev.cdcrelay.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The function started the way Lambda starts the image: the final stage's ENTRYPOINT + CMD as one
 * process, talking to a {@link RuntimeApiServer}, output captured to a file. Closing it ends the
 * process (the runtime client loops forever, as on Lambda).
 */
final class ImageLaunch implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final long startNanos;

    private ImageLaunch(Process process, Path output, long startNanos) {
        this.process = process;
        this.output = output;
        this.startNanos = startNanos;
    }

    /**
     * Starts the image's command line in {@code fs} with the function's own settings, plus the
     * variables Lambda itself sets for a 512 MB function. {@code extraJvmFlags} come before the
     * image's flags (an image flag of the same name wins, as with JAVA_TOOL_OPTIONS).
     */
    static ImageLaunch start(ImageFilesystem fs, RuntimeApiServer api, Map<String, String> functionSettings,
                             List<String> extraJvmFlags, Path output) throws IOException {
        return start(fs, api, functionSettings, extraJvmFlags, Optional.empty(), output);
    }

    /**
     * The same with the function's own CMD when {@code cmd} is given, as Lambda starts a function
     * whose image config names another handler (the backfill function).
     */
    static ImageLaunch start(ImageFilesystem fs, RuntimeApiServer api, Map<String, String> functionSettings,
                             List<String> extraJvmFlags, Optional<List<String>> cmd, Path output) throws IOException {
        Map<String, String> env = new HashMap<>(functionSettings);
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "cdc-relay");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/cdc-relay");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/02/[$LATEST]contract");
        env.put("AWS_REGION", "eu-central-1");
        env.put("LAMBDA_TASK_ROOT", fs.remap("/var/task"));
        List<String> flags = new ArrayList<>();
        ricNativeLibrary(output.toAbsolutePath().getParent()).ifPresent(so -> flags.add("-D" + RIC_JNI + "=" + so));
        flags.addAll(extraJvmFlags);
        ProcessBuilder pb = (cmd.isPresent() ? fs.processWithCommand(cmd.get(), flags, env) : fs.process(flags, env))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        long start = System.nanoTime();
        return new ImageLaunch(pb.start(), output, start);
    }

    /**
     * The runtime interface client loads its JNI library from the path in this property, if set;
     * otherwise it unpacks the library from its jar to /tmp/.libaws-lambda-jni.so (what it does in
     * production, where /tmp is the function's own). A test must leave nothing in the machine's /tmp.
     */
    static final String RIC_JNI = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** The client's library for this machine, copied out of its jar into {@code dir} (once). */
    static Optional<Path> ricNativeLibrary(Path dir) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path so = dir.resolve(name);
        if (Files.exists(so)) {
            return Optional.of(so);
        }
        try (InputStream in = ClassLoader.getSystemResourceAsStream("jni/" + name)) {
            if (in == null) {
                return Optional.empty(); // not on this class path: the client unpacks its own
            }
            Files.copy(in, so);
            return Optional.of(so);
        }
    }

    /** {@link System#nanoTime} just before the process was started. */
    long startNanos() {
        return startNanos;
    }

    /** One bounded wait of a {@link RuntimeApiServer} (e.g. {@code api::awaitReply}). */
    interface Poll<T> {
        Optional<T> await(Duration step) throws InterruptedException;
    }

    /**
     * What {@code poll} finds within {@code timeout}; fails at once, with the process's output, when
     * the process ended without sending it (a JVM that cannot start, say).
     */
    <T> T await(String what, Duration timeout, Poll<T> poll) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean wasRunning = process.isAlive();
            Optional<T> found = poll.await(Duration.ofMillis(200));
            if (found.isPresent()) {
                return found.get();
            }
            if (!wasRunning) {
                throw new AssertionError("the function exited (code " + process.exitValue() + ") without " + what
                        + "; its output:\n" + output());
            }
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; the function's output:\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the function did not exit within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote to stdout and stderr so far (Lambda sends both to CloudWatch). */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
