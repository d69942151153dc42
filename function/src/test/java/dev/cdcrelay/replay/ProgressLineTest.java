package dev.cdcrelay.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressLineTest {

    private static final long MB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();
    private final ReplayTotals fourInputs = new ReplayTotals(4, OptionalLong.of(400 * MB));

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalOneLineIsRedrawnWithRateAndEtaFromTheBytesRead() {
        ProgressLine progress = new ProgressLine(out, clock::get, ProgressLine.Display.TERMINAL, fourInputs);
        progress.inputStarted();
        clock.set(10 * SECOND);
        progress.recordsApplied(1_000);
        String first = "replay: 1/4 inputs, 1,000 records, 0/400 MB (0%), 100 records/s, elapsed 0:10";
        clock.set(20 * SECOND);
        progress.bytesRead(200 * MB);
        String second = "replay: 1/4 inputs, 1,000 of ~2,000 records, 200/400 MB (50%), 50 records/s, "
                + "elapsed 0:20, ETA 0:20";

        assertEquals("\r" + first + "\r" + second, output());
    }

    @Test
    void onATerminalALogLineGoesAboveTheStatusLine() {
        ProgressLine progress = new ProgressLine(out, clock::get, ProgressLine.Display.TERMINAL, fourInputs);
        clock.set(SECOND);
        progress.inputStarted();
        String status = "replay: 1/4 inputs, 0 records, 0/400 MB (0%), 0 records/s, elapsed 0:01";

        progress.log("[cdc-relay] sink not reachable, will retry");
        progress.finished();

        String blank = "\r" + " ".repeat(status.length()) + "\r";
        assertEquals("\r" + status + blank + "[cdc-relay] sink not reachable, will retry\n" + "\r" + status
                + "\r" + status + "\n", output().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void elsewhereAPlainLineEveryTenSecondsAndOneAtTheEnd() {
        ProgressLine progress = new ProgressLine(out, clock::get, ProgressLine.Display.PLAIN, fourInputs);
        progress.inputStarted();
        clock.set(9 * SECOND);
        progress.bytesRead(100 * MB);
        clock.set(10 * SECOND);
        progress.recordsApplied(500);
        clock.set(15 * SECOND);
        progress.bytesRead(100 * MB);
        progress.finished();

        assertEquals("replay: 1/4 inputs, 500 of ~2,000 records, 100/400 MB (25%), 50 records/s, elapsed 0:10, ETA 0:30\n"
                + "replay: 1/4 inputs, 500 of ~1,000 records, 200/400 MB (50%), 33 records/s, elapsed 0:15, ETA 0:15\n",
                output().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void standardInputHasNoTotalSoNoEta() {
        ProgressLine progress = new ProgressLine(out, clock::get, ProgressLine.Display.PLAIN, new ReplayTotals(1, OptionalLong.empty()));
        progress.inputStarted();
        progress.bytesRead(3 * MB);
        clock.set(3_723 * SECOND);
        progress.recordsApplied(7_446);

        assertEquals("replay: 1/1 inputs, 7,446 records, 3 MB, 2 records/s, elapsed 1:02:03\n",
                output().replace(System.lineSeparator(), "\n"));
    }
}
