package dev.cdcrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A lower package never imports a higher one, nor a neighbour in its own layer: the arrows run
 * kinesis -> decode -> plan -> write -> relay -> backfill -> handler/replay only. Read from the sources' import
 * lines (and any fully qualified name in code), so the message names the file and line.
 *
 * <p>The settings/ module's sources are compiled into the function; they import only each other
 * and count as part of the bottom layer here.
 */
class PackageLayersTest {

    /** Bottom first. A package may use its own classes and those of any layer below its own. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("kinesis", "settings", "logging", "credentials"),
            Set.of("decode"),
            Set.of("plan"),
            Set.of("write"),
            Set.of("deadletter"),
            Set.of("relay"),
            Set.of("metrics"),
            // Snapshot loading and its tasks; BackfillHandler (like RelayHandler) is the thin edge above them.
            Set.of("backfill"),
            Set.of("handler", "replay"),
            Set.of("cli"));

    private static final Path SOURCES = Path.of("src/main/java/dev/cdcrelay");

    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.cdcrelay\\.([a-z]\\w*)\\.");

    @Test
    void noPackageUsesAHigherOrNeighbouringOne() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String from = SOURCES.relativize(file).getName(0).toString();
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String where = SOURCES.relativize(file) + ":" + (i + 1);
                    check(from, lines.get(i)).ifPresent(problem -> violations.add(where + " " + problem));
                }
            }
        }
        assertEquals(List.of(), violations, "imports against the layers (" + LAYERS + ", bottom first)");
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        Set<String> unplaced = new TreeSet<>();
        try (Stream<Path> entries = Files.list(SOURCES)) {
            entries.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .filter(name -> layerOf(name).isEmpty())
                    .forEach(unplaced::add);
        }
        assertEquals(Set.of(), unplaced, "packages to place in PackageLayersTest.LAYERS");
    }

    @Test
    void anUpwardImportIsNamed() {
        assertEquals(Optional.of("decode (layer 1) uses relay (layer 5)"),
                check("decode", "import dev.cdcrelay.relay.Relay;"));
        assertEquals(Optional.of("handler (layer 8) uses replay (layer 8)"),
                check("handler", "        var run = new dev.cdcrelay.replay.ReplayRun(x);"));
        assertEquals(Optional.empty(), check("relay", "import dev.cdcrelay.decode.ChangeDecoder;"));
        assertEquals(Optional.empty(), check("relay", "import dev.cdcrelay.relay.BatchResult;"));
        assertEquals(Optional.empty(), check("decode", " * {@link dev.cdcrelay.relay.Relay} calls this"));
    }

    /** The problem with one source line of package {@code from}, if it names a package it may not use. */
    private static Optional<String> check(String from, String line) {
        String code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
            return Optional.empty(); // documentation links are no dependency
        }
        int fromLayer = layerOf(from).orElseThrow(() -> new AssertionError(from + " has no layer"));
        Matcher names = REFERENCE.matcher(code);
        while (names.find()) {
            String to = names.group(1);
            if (to.equals(from)) {
                continue;
            }
            Optional<Integer> toLayer = layerOf(to);
            if (toLayer.isEmpty() || toLayer.get() >= fromLayer) {
                return Optional.of(from + " (layer " + fromLayer + ") uses " + to + " (layer "
                        + toLayer.map(String::valueOf).orElse("none") + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
