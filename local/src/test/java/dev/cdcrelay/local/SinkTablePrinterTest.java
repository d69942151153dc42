package dev.cdcrelay.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkTablePrinterTest {

    @Test
    void theStoredVersionReadsAsTimeAndSequence() {
        String stored = "0".repeat(4) + "1795513260000001:" + "0".repeat(127) + "2";
        assertEquals(149, stored.length());
        assertEquals("2026-11-24 09:41:00.000001 UTC, sequence 2", SinkTablePrinter.versionText(stored));
        assertEquals("not-a-version", SinkTablePrinter.versionText("not-a-version"));
    }

    @Test
    void longValuesAreShortenedToTheWidth() {
        String data = "{\"note\":\"" + "x".repeat(300) + "\"}";
        String printed = SinkTablePrinter.print(List.<String[]>of(new String[] {"{\"id\": \"1\"}", data, null}));
        for (String line : printed.split("\n")) {
            assertTrue(line.length() <= SinkTablePrinter.WIDTH, line);
        }
        assertTrue(printed.contains("pk      | {\"id\":\"1\"}\n"), printed);
        assertTrue(printed.contains("xxx...\n"), printed);
        assertTrue(printed.contains("version | (none)\n"), printed);
    }

    @Test
    void linesAreWrappedAtABlankWithinTheWidth() {
        String line = "[cdc-relay] batch " + "word ".repeat(40).strip();
        String wrapped = FittedLines.wrap(line, 100);
        for (String part : wrapped.split("\n")) {
            assertTrue(part.length() <= 100, part);
        }
        assertEquals(line, wrapped.strip().replace("\n" + FittedLines.INDENT, " "));
        assertEquals("x".repeat(100) + "\n" + FittedLines.INDENT + "x".repeat(20) + "\n",
                FittedLines.wrap("x".repeat(120), 100));
    }
}
