package dev.cdcrelay.cli;

import dev.cdcrelay.backfill.BackfillCommand;
import dev.cdcrelay.replay.ReplayCommand;

/** {@code java -jar function.jar <command> ...}: hands the command line to {@code replay} or {@code backfill}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("backfill")) {
            BackfillCommand.main(args);
        } else {
            ReplayCommand.main(args); // prints its usage for anything it does not know
        }
    }
}
