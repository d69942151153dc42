package dev.cdcrelay.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's demo block is what the demo prints, line by line, apart from times, ports and the
 * stream's id: the demo's main runs in a JVM of its own (as the README's command runs it, on this
 * module's class path, with no CRATEDB_* or RELAY_* variable), stdout and stderr together, so a
 * banner or a library's warning would show up here too.
 */
class LocalDemoOutputTest {

    static final Path README = Path.of("..", "README.md");
    static final String MARKER = "<!-- demo-output";

    @Test
    void theDemoPrintsWhatTheReadmeShows() throws Exception {
        Path tmp = Files.createDirectories(Path.of("target", "demo-tmp"));
        Path output = tmp.resolve("demo-output.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                LocalRelay.class.getName(), "--demo", "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("CRATEDB_") || name.startsWith("RELAY_"));
        Process demo = pb.start();
        if (!demo.waitFor(5, TimeUnit.MINUTES)) {
            demo.destroyForcibly();
            throw new AssertionError("the demo did not end within 5 minutes:\n" + Files.readString(output));
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), "the demo's exit code; it printed:\n" + printed);
        for (String line : printed.split("\n")) {
            assertTrue(line.codePointCount(0, line.length()) <= SinkTablePrinter.WIDTH,
                    "wider than " + SinkTablePrinter.WIDTH + " columns: " + line);
            assertFalse(line.contains("\u001b"), "an escape code: " + line);
        }
        assertEquals(normalised(readmeBlock()), normalised(List.of(printed.split("\n"))));
    }

    /** The fenced block right after the marker comment. */
    static List<String> readmeBlock() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(MARKER)) {
                start = i + 2; // the marker, then the opening fence
                break;
            }
        }
        assertTrue(start > 0, "README.md has no " + MARKER + " block");
        List<String> block = new ArrayList<>();
        for (int i = start; !lines.get(i).startsWith("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }

    /**
     * Wrapped lines joined again (widths of numbers differ), then times, ports and ids replaced. A
     * JSON line (the handler's batch line) is compact, so its pieces are joined without blanks.
     */
    static List<String> normalised(List<String> lines) {
        List<String> joined = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(FittedLines.INDENT) && !joined.isEmpty()) {
                String previous = joined.get(joined.size() - 1);
                joined.set(joined.size() - 1, previous + (previous.startsWith("{") ? "" : " ") + line.strip());
            } else {
                joined.add(line);
            }
        }
        return joined.stream()
                .map(l -> l.replaceAll("\\d+ ms", "<n> ms")
                        .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>")
                        .replaceAll("port \\d+", "port <port>")
                        .replaceAll("stream/\\S+", "stream/<id>")
                        .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} UTC", "<time> UTC")
                        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<instant>")
                        .replaceAll("\"(\\w+Millis)\":\\d+", "\"$1\":<n>"))
                .toList();
    }
}
