package dev.cdcrelay.backfill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The data files a backfill has loaded completely, one name per line, so that a stopped or failed
 * run can be resumed without loading them again (loading them again would be safe, only slow). A
 * name is appended, in one write ending in a newline, only after its file loaded without a problem;
 * a last line without its newline (a crash mid-write) does not count. Thread-safe.
 */
final class FinishedFiles {

    private final Path file;
    private final Set<String> names;

    private FinishedFiles(Path file, Set<String> names) {
        this.file = file;
        this.names = names;
    }

    /** Reads the list (a missing file is an empty list). */
    static FinishedFiles open(Path file) throws IOException {
        Set<String> names = new HashSet<>();
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        }
        return new FinishedFiles(file, names);
    }

    synchronized boolean contains(String name) {
        return names.contains(name);
    }

    /** Records a file as loaded; forced to disk before returning. */
    synchronized void add(String name) throws IOException {
        Files.write(file, (name + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        names.add(name);
    }
}
