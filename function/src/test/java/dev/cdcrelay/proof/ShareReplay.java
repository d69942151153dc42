package dev.cdcrelay.proof;

import dev.cdcrelay.replay.ReplayCommand;

/**
 * A child JVM of {@link ConcurrentConvergenceTest}: waits for the common start instant, then is
 * exactly the replay command ({@code replay <file>}) with the environment it was given. The wait
 * lines up the processes' writes, which JVM start-up would otherwise spread apart.
 *
 * <p>Arguments: start instant (epoch millis), share file.
 */
public final class ShareReplay {

    private ShareReplay() {
    }

    public static void main(String[] args) throws InterruptedException {
        long startAt = Long.parseLong(args[0]);
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        // Chunks of 1,000 (the default is 10,000): several batches per process, overlapping the others'.
        ReplayCommand.main(new String[]{"replay", "--chunk", "1000", args[1]});
    }
}
