package dev.cdcrelay.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Prints a figures line and appends it to target/proof-figures.txt (docs/proof.md quotes them). */
final class ProofFigures {

    private ProofFigures() {
    }

    static synchronized void report(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures;
        System.out.println("[proof] " + line);
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("proof-figures.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[proof] figures not written: " + e);
        }
    }
}
