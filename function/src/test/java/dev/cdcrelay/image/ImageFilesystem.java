package dev.cdcrelay.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The image's file system laid out in a directory, from the artifacts Maven packaged, by replaying
 * the final stage of {@code function/Dockerfile}: its WORKDIRs, its COPYs from the build stage, its
 * RUNs and its ENV, with every image path moved under this directory. The JVM the image starts
 * ({@code /var/lang/bin/java}, Java 21 on Lambda) becomes the JDK running the test.
 */
final class ImageFilesystem {

    /** Where the Dockerfile's build stage leaves Maven's output of the function module. */
    static final String BUILD_STAGE_OUTPUT = "/src/function/target/";
    /** The image's JVM launcher, as the base image installs it. */
    static final String IMAGE_JAVA = "/var/lang/bin/java";
    /** Image directories that move under the layout root. */
    private static final List<String> IMAGE_DIRS = List.of("/var/task", "/var/runtime");

    private final Path root;
    private final Path moduleTarget;
    private final Path javaHome;
    private final DockerfileStage stage;

    private ImageFilesystem(Path root, Path moduleTarget, Path javaHome, DockerfileStage stage) {
        this.root = root;
        this.moduleTarget = moduleTarget;
        this.javaHome = javaHome;
        this.stage = stage;
    }

    /** Lays the stage out under {@code root} from {@code moduleTarget} (function/target), running its RUNs. */
    static ImageFilesystem layOut(DockerfileStage stage, Path root, Path moduleTarget, Path javaHome) {
        ImageFilesystem fs = new ImageFilesystem(root, moduleTarget, javaHome, stage);
        Map<String, String> envSoFar = new LinkedHashMap<>();
        String workdir = "/";
        for (DockerfileStage.Instruction instruction : stage.instructions()) {
            // (release 17: no pattern matching in switch yet)
            if (instruction instanceof DockerfileStage.Workdir w) {
                workdir = w.path();
                fs.createDirectories(fs.path(workdir));
            } else if (instruction instanceof DockerfileStage.Env e) {
                envSoFar.put(e.name(), e.value());
            } else if (instruction instanceof DockerfileStage.Copy c) {
                fs.copy(c);
            } else if (instruction instanceof DockerfileStage.Run r) {
                fs.run(r, envSoFar, workdir);
            }
        }
        return fs;
    }

    /** An image path as it lies in this layout. */
    Path path(String imagePath) {
        return Path.of(remap(imagePath));
    }

    /** Every image path inside {@code text} replaced by where it lies here (also inside flags and class paths). */
    String remap(String text) {
        String out = text;
        for (String dir : IMAGE_DIRS) {
            out = out.replace(dir, root + dir);
        }
        // Last, so that a JDK installed under a path like /var/... is not remapped again.
        return out.replace(IMAGE_JAVA, javaHome.resolve("bin/java").toString());
    }

    /**
     * The process Lambda starts: ENTRYPOINT + CMD remapped, in the stage's WORKDIR, with only the
     * stage's ENV and the given variables (nothing inherited from the test's own environment).
     * {@code extraJvmFlags} go right after the launcher, before the image's own flags.
     */
    ProcessBuilder process(List<String> extraJvmFlags, Map<String, String> lambdaEnvironment) {
        return processOf(stage.commandLine(), extraJvmFlags, lambdaEnvironment);
    }

    /** The same with the function's own CMD instead of the image's (Lambda's imageConfig.commands). */
    ProcessBuilder processWithCommand(List<String> cmd, List<String> extraJvmFlags, Map<String, String> lambdaEnvironment) {
        return processOf(stage.commandLine(cmd), extraJvmFlags, lambdaEnvironment);
    }

    private ProcessBuilder processOf(List<String> image, List<String> extraJvmFlags, Map<String, String> lambdaEnvironment) {
        List<String> command = new ArrayList<>();
        command.add(remap(image.get(0)));
        command.addAll(extraJvmFlags);
        image.subList(1, image.size()).stream().map(this::remap).forEach(command::add);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(path(stage.workdir().orElse("/var/task")).toFile());
        Map<String, String> env = pb.environment();
        String hostPath = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", hostPath);
        stage.environment().forEach((k, v) -> env.put(k, remap(v)));
        env.putAll(lambdaEnvironment);
        return pb;
    }

    private void copy(DockerfileStage.Copy copy) {
        if (!copy.fromStage().equals(java.util.Optional.of("build"))) {
            throw new IllegalArgumentException("the final stage copies from " + copy.fromStage().orElse("the context")
                    + "; only COPY --from=build of " + BUILD_STAGE_OUTPUT + "... is replayed");
        }
        for (String source : copy.sources()) {
            if (!source.startsWith(BUILD_STAGE_OUTPUT)) {
                throw new IllegalArgumentException("COPY --from=build " + source + " is not under " + BUILD_STAGE_OUTPUT);
            }
            Path from = moduleTarget.resolve(source.substring(BUILD_STAGE_OUTPUT.length()));
            Path to = path(copy.destination());
            if (Files.isDirectory(from)) {
                copyTree(from, to);   // Docker copies a directory's contents, not the directory
            } else if (copy.destination().endsWith("/")) {
                copyFile(from, to.resolve(from.getFileName().toString()));
            } else {
                copyFile(from, to);
            }
        }
    }

    private void run(DockerfileStage.Run run, Map<String, String> env, String workdir) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", remap(run.shellCommand()))
                .directory(path(workdir).toFile()).redirectErrorStream(true);
        env.forEach((k, v) -> pb.environment().put(k, remap(v)));
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the final stage's RUN failed when replayed: " + run.shellCommand() + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    createDirectories(target);
                } else {
                    copyFile(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copyFile(Path from, Path to) {
        try {
            createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " (was the module packaged?)", e);
        }
    }

    private void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
