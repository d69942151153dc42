package dev.cdcrelay.cli;

import dev.cdcrelay.backfill.BackfillCommand;
import dev.cdcrelay.replay.ReplayCommand;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar function.jar <command> ...}: hands the command line to {@code replay} or
 * {@code backfill}. {@code replay} first moves to a JVM with the options a batch command wants
 * ({@link CommandJvm}), unless this one has them.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("backfill")) {
            BackfillCommand.main(args);
            return;
        }
        Optional<List<String>> relaunch = args.length > 0 && args[0].equals("replay")
                ? CommandJvm.relaunchCommand() : Optional.empty();
        if (relaunch.isPresent()) {
            try {
                System.exit(CommandJvm.run(relaunch.get()));
            } catch (IOException e) {
                // Still a working replay, only slower: say so and go on in this JVM.
                System.err.println("replay: could not start a JVM with "
                        + relaunch.get().stream().filter(o -> o.startsWith("-XX:")).toList() + " ("
                        + e.getMessage() + "), replaying in this one");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.exit(130);
            }
        }
        ReplayCommand.main(args); // prints its usage for anything it does not know
    }
}
