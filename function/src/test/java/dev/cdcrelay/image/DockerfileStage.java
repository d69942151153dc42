package dev.cdcrelay.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The final stage of a Dockerfile as the image runs it, read from the file itself so that a test
 * replaying it cannot drift from what {@code docker build} does.
 *
 * <p>Understands the subset {@code function/Dockerfile} uses and refuses the rest by name (a new
 * instruction in the final stage must be taught here, or the contract test stops): {@code FROM},
 * {@code WORKDIR}, {@code ENV key=value...}, {@code COPY [--from=stage] src... dest}, {@code RUN}
 * (shell form), and {@code ENTRYPOINT} / {@code CMD} in exec (JSON) form. {@code ARG} and
 * {@code LABEL} are accepted and ignored: they change no file and no process.
 */
record DockerfileStage(String from, List<Instruction> instructions) {

    /** One instruction of the stage, in file order. */
    sealed interface Instruction permits Workdir, Env, Copy, Run, Entrypoint, Cmd {
    }

    record Workdir(String path) implements Instruction {
    }

    record Env(String name, String value) implements Instruction {
    }

    /** {@code fromStage} is empty for a copy from the build context. */
    record Copy(Optional<String> fromStage, List<String> sources, String destination) implements Instruction {
    }

    record Run(String shellCommand) implements Instruction {
    }

    record Entrypoint(List<String> args) implements Instruction {
    }

    record Cmd(List<String> args) implements Instruction {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last stage of the Dockerfile at this path. */
    static DockerfileStage finalStageOf(Path dockerfile) {
        try {
            return finalStage(Files.readString(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
    }

    static DockerfileStage finalStage(String dockerfile) {
        List<String> lines = logicalLines(dockerfile);
        int lastFrom = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (keyword(lines.get(i)).equals("FROM")) {
                lastFrom = i;
            }
        }
        if (lastFrom < 0) {
            throw new IllegalArgumentException("the Dockerfile has no FROM");
        }
        List<Instruction> out = new ArrayList<>();
        for (String line : lines.subList(lastFrom + 1, lines.size())) {
            out.addAll(parse(line));
        }
        return new DockerfileStage(rest(lines.get(lastFrom)), List.copyOf(out));
    }

    /** The environment the stage sets, in order (a later ENV of the same name wins). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        instructions.stream().filter(Env.class::isInstance).map(Env.class::cast).forEach(e -> env.put(e.name(), e.value()));
        return env;
    }

    /** The working directory of the started process: the last WORKDIR of the stage. */
    Optional<String> workdir() {
        return instructions.stream().filter(Workdir.class::isInstance).map(Workdir.class::cast)
                .reduce((first, second) -> second).map(Workdir::path);
    }

    /** ENTRYPOINT followed by CMD: the command line Lambda starts (it passes no arguments of its own). */
    List<String> commandLine() {
        List<String> cmd = instructions.stream().filter(Cmd.class::isInstance).map(Cmd.class::cast)
                .reduce((first, second) -> second).map(Cmd::args).orElse(List.of());
        return commandLine(cmd);
    }

    /**
     * ENTRYPOINT followed by another CMD: what Lambda starts for a function whose image config sets
     * its own command (the backfill function: {@code imageConfig.commands}).
     */
    List<String> commandLine(List<String> cmd) {
        List<String> entry = instructions.stream().filter(Entrypoint.class::isInstance).map(Entrypoint.class::cast)
                .reduce((first, second) -> second).map(Entrypoint::args)
                .orElseThrow(() -> new IllegalStateException("the final stage sets no ENTRYPOINT of its own"));
        List<String> all = new ArrayList<>(entry);
        all.addAll(cmd);
        return List.copyOf(all);
    }

    // Continuation lines joined, comments and blank lines dropped (what BuildKit does before parsing).
    private static List<String> logicalLines(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String keyword(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }

    private static String rest(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1).strip();
    }

    private static List<Instruction> parse(String line) {
        String args = rest(line);
        return switch (keyword(line)) {
            case "ARG", "LABEL" -> List.of();
            case "WORKDIR" -> List.of(new Workdir(args));
            case "ENV" -> env(args);
            case "COPY" -> List.of(copy(args));
            case "RUN" -> List.of(new Run(args));
            case "ENTRYPOINT" -> List.of(new Entrypoint(execForm("ENTRYPOINT", args)));
            case "CMD" -> List.of(new Cmd(execForm("CMD", args)));
            default -> throw new IllegalArgumentException("the final stage uses " + keyword(line)
                    + ", which DockerfileStage does not replay yet: teach it, or the contract test cannot run the image");
        };
    }

    /** {@code ENV a=1 b="two words"}; the old {@code ENV name value} form too. */
    private static List<Instruction> env(String args) {
        String first = args.split("\\s+", 2)[0];
        if (!first.contains("=")) {
            return List.of(new Env(first, rest(args)));
        }
        List<Instruction> out = new ArrayList<>();
        int i = 0;
        while (i < args.length()) {
            int eq = args.indexOf('=', i);
            String name = args.substring(i, eq).strip();
            int start = eq + 1;
            int end;
            String value;
            if (start < args.length() && args.charAt(start) == '"') {
                end = args.indexOf('"', start + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("ENV " + name + ": unterminated quote");
                }
                value = args.substring(start + 1, end);
                end++;
            } else {
                end = args.indexOf(' ', start);
                end = end < 0 ? args.length() : end;
                value = args.substring(start, end);
            }
            out.add(new Env(name, value));
            i = end;
            while (i < args.length() && args.charAt(i) == ' ') {
                i++;
            }
        }
        return out;
    }

    private static Copy copy(String args) {
        List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
        Optional<String> from = Optional.empty();
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--from=")) {
                from = Optional.of(flag.substring("--from=".length()));
            } else if (!flag.equals("--link")) {
                throw new IllegalArgumentException("COPY flag " + flag + " is not replayed by DockerfileStage");
            }
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException("COPY needs a source and a destination: " + args);
        }
        return new Copy(from, List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1));
    }

    private static List<String> execForm(String instruction, String args) {
        if (!args.startsWith("[")) {
            // Shell form would wrap the command in /bin/sh -c and make the JVM a child of a shell.
            throw new IllegalArgumentException(instruction + " must use the exec (JSON) form, got: " + args);
        }
        try {
            return List.copyOf(JSON.readValue(args, new TypeReference<List<String>>() { }));
        } catch (IOException e) {
            throw new IllegalArgumentException(instruction + " is not a JSON array of strings: " + args, e);
        }
    }
}
