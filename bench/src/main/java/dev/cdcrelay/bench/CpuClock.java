package dev.cdcrelay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM (every thread: JIT, GC and the writer's own) and, when the
 * database runs on this machine and {@code bench.databasePid} names its process, by the database.
 * On a machine whose CPUs the writer and the database share, a writer's wall clock is also what
 * its own CPU took from the database: the two figures tell that apart from the database's work.
 */
final class CpuClock {

    /**
     * CPU nanoseconds: this JVM's, and the database's (-1 when not known); and the milliseconds
     * this JVM's JIT compilers have spent so far (a JVM still compiling is not in its steady state).
     */
    record Reading(long jvmNanos, long databaseNanos, long jitMillis) {
    }

    /** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every usual build). */
    private static final long TICK_NANOS = 10_000_000L;

    private static final String DATABASE_PID = System.getProperty("bench.databasePid", "");

    private CpuClock() {
    }

    static Reading read() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Reading(jvm, databaseNanos(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    private static long databaseNanos() {
        if (DATABASE_PID.isBlank()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", DATABASE_PID, "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS; // utime + stime
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("bench.databasePid=" + DATABASE_PID
                    + ": cannot read that process's CPU time from /proc (" + e.getMessage() + ")", e);
        }
    }
}
