package dev.cdcrelay.write;

import java.util.function.LongSupplier;

/** How much time the invocation has left; Lambda's context answers it, tests fake it. */
@FunctionalInterface
public interface Deadline {

    long remainingMillis();

    static Deadline none() {
        return () -> Long.MAX_VALUE / 4;
    }

    static Deadline inMillis(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        return () -> (end - System.nanoTime()) / 1_000_000L;
    }

    static Deadline of(LongSupplier remaining) {
        return remaining::getAsLong;
    }
}
