package dev.cdcrelay.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The local files a path stands for. A file stands for itself (any form). A directory stands for
 * every {@code *.json} file below it, each an event document, in order of their path relative to
 * it, compared as {@code a/b/c.json} text (as {@code aws s3 sync} of the dead-letter bucket lays
 * them out, {@code yyyy/MM/dd/...}, and as S3 lists keys). Names starting with a dot are skipped
 * (temporary files of the directory sink, editor and OS litter).
 *
 * <p>Walked lazily, one directory at a time: memory holds the names of the directories on the
 * current path, never the whole tree, so a directory of a million letters costs no more than the
 * largest single directory's listing.
 */
final class InputFiles implements Iterable<ReplaySource> {

    private final Path root;

    private InputFiles(Path root) {
        this.root = root;
    }

    /** The files {@code path} stands for; fails at once when it does not exist. */
    static InputFiles below(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        return new InputFiles(path);
    }

    @Override
    public Iterator<ReplaySource> iterator() {
        if (!Files.isDirectory(root)) {
            return List.<ReplaySource>of(new ReplaySource.LocalFile(root, size(root), ReplayInput.Form.DETECTED))
                    .iterator();
        }
        return new Walk(root);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Depth first; each directory's entries sorted as their relative paths sort. */
    private static final class Walk implements Iterator<ReplaySource> {
        private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
        private ReplaySource next;

        Walk(Path root) {
            stack.push(sortedEntries(root).iterator());
            advance();
        }

        private void advance() {
            next = null;
            while (next == null && !stack.isEmpty()) {
                Iterator<Path> top = stack.peek();
                if (!top.hasNext()) {
                    stack.pop();
                    continue;
                }
                Path entry = top.next();
                if (Files.isDirectory(entry)) {
                    stack.push(sortedEntries(entry).iterator());
                } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".json")) {
                    next = new ReplaySource.LocalFile(entry, size(entry), ReplayInput.Form.EVENT_DOCUMENTS);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public ReplaySource next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            ReplaySource current = next;
            advance();
            return current;
        }

        /**
         * A directory sorts as its name plus "/": then "a-c.json" comes before everything in
         * "a/", exactly as "a-c.json" &lt; "a/b.json" in the full relative paths.
         */
        private static List<Path> sortedEntries(Path directory) {
            List<SortedEntry> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                for (Path entry : stream) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith(".")) {
                        entries.add(new SortedEntry(entry, Files.isDirectory(entry) ? name + "/" : name));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
            }
            entries.sort(Comparator.comparing(SortedEntry::sortName));
            return entries.stream().map(SortedEntry::path).toList();
        }

        private record SortedEntry(Path path, String sortName) {
        }
    }
}
