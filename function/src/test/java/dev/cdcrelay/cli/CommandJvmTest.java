package dev.cdcrelay.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code replay} moves to a JVM with C1 only and the serial collector, and with what command line. */
class CommandJvmTest {

    private static final String JAVA = "/usr/lib/jvm/java-17/bin/java";

    private static Optional<List<String>> relaunch(String arguments, Map<String, String> env, Optional<String> keep) {
        return CommandJvm.relaunchCommand(Optional.of(JAVA), Optional.of(arguments.split(" ")), env, keep);
    }

    @Test
    void theSameCommandLineRunsAgainWithTheOptionsInFrontAndTheMarkerThatStopsASecondRelaunch() {
        assertEquals(Optional.of(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dcdcrelay.keepJvm=true",
                        "-Xmx256m", "-jar", "function.jar", "replay", "--chunk", "50", "letters/")),
                relaunch("-Xmx256m -jar function.jar replay --chunk 50 letters/", Map.of(), Optional.empty()));
    }

    /** arguments | JAVA_TOOL_OPTIONS | the options added ("none": no relaunch) */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -XX:+UseG1GC -jar f.jar replay x                  |                        | -XX:TieredStopAtLevel=1
            -XX:+UseParallelGC -jar f.jar replay x            |                        | -XX:TieredStopAtLevel=1
            -XX:TieredStopAtLevel=4 -jar f.jar replay x       |                        | -XX:+UseSerialGC
            -XX:-TieredCompilation -jar f.jar replay x        |                        | -XX:+UseSerialGC
            -jar f.jar replay x                               | -XX:+UseZGC -Xss1m     | -XX:TieredStopAtLevel=1
            -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar f.jar replay x |             | none
            -Xint -XX:+UseSerialGC -jar f.jar replay x        |                        | none
            """)
    void optionsTheUserAlreadyDecidedAreLeftToTheUser(String arguments, String toolOptions, String added) {
        Map<String, String> env = toolOptions == null ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", toolOptions);
        Optional<List<String>> command = relaunch(arguments.trim(), env, Optional.empty());
        if (added.equals("none")) {
            assertEquals(Optional.empty(), command);
        } else {
            assertEquals(List.of(JAVA, added, "-Dcdcrelay.keepJvm=true"), command.orElseThrow().subList(0, 3));
        }
    }

    @Test
    void noRelaunchWhenAskedToKeepTheJvmOrWhenThisJvmsCommandLineIsUnknown() {
        assertEquals(Optional.empty(), relaunch("-jar f.jar replay x", Map.of(), Optional.of("true")));
        assertEquals(Optional.empty(), CommandJvm.relaunchCommand(Optional.of(JAVA), Optional.empty(), Map.of(),
                Optional.empty()));
        assertEquals(Optional.empty(), CommandJvm.relaunchCommand(Optional.empty(), Optional.of(new String[] {"x"}),
                Map.of(), Optional.empty()));
        assertEquals(Optional.empty(), CommandJvm.relaunchCommand(Optional.of("/opt/app/bin/embedding-host"),
                Optional.of(new String[] {"replay", "x"}), Map.of(), Optional.empty()));
        assertEquals(Optional.empty(), relaunch("-cp maven.jar org.codehaus.plexus.classworlds.launcher.Launcher"
                + " exec:java -Dexec.args=replay", Map.of(), Optional.empty()), "inside Maven's JVM: not ours to start");
        assertTrue(relaunch("-cp function.jar:lib/* dev.cdcrelay.cli.Main replay x", Map.of(), Optional.empty())
                .isPresent(), "the jar's Main-Class named on a class path");
        assertTrue(relaunch("-jar f.jar replay x", Map.of(), Optional.of("false")).isPresent(),
                "-Dcdcrelay.keepJvm=false asks for the relaunch");
    }

    @Test
    void theRelaunchedJvmHasTheOptionsAndHandsBackItsExitCode(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("flags.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(CommandJvm.relaunchCommand(Optional.of(java),
                Optional.of(new String[] {"-jar", "function.jar", "replay", "x"}), Map.of(), Optional.empty())
                .orElseThrow());
        // The same options in front of a probe instead of the jar.
        command.subList(command.indexOf("-jar"), command.size()).clear();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PrintFlags.class.getName(),
                output.toString()));

        assertEquals(3, CommandJvm.run(command));

        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(List.of("TieredStopAtLevel=1", "UseSerialGC=true", "cdcrelay.keepJvm=true"), lines);
    }

    /** Writes the relaunched JVM's options to the file given, then exits with 3. */
    public static final class PrintFlags {
        public static void main(String[] args) throws Exception {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            Files.write(Path.of(args[0]), List.of(
                    "TieredStopAtLevel=" + bean.getVMOption("TieredStopAtLevel").getValue(),
                    "UseSerialGC=" + bean.getVMOption("UseSerialGC").getValue(),
                    "cdcrelay.keepJvm=" + System.getProperty("cdcrelay.keepJvm")));
            System.exit(3);
        }
    }
}
