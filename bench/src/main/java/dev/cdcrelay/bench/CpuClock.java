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

    private static final Path SELF_STAT = Path.of("/proc/self/stat");

    private static final String DATABASE_PID = System.getProperty("bench.databasePid", "");

    private CpuClock() {
    }

    static Reading read() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Reading(jvm, databaseNanos(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    /**
     * CPU nanoseconds of this JVM's child processes that have ended and been waited for (Linux's
     * cutime + cstime of this process; a child's own waited-for children, such as a relaunched JVM,
     * are in it too): read before starting a child and after waiting for it, the difference is
     * that child's CPU, every thread of it. -1 where there is no /proc (not Linux).
     */
    static long childrenNanos() {
        return Files.isReadable(SELF_STAT) ? statTicks("self", 13) * TICK_NANOS : -1;
    }

    /** Two consecutive fields of /proc/PID/stat (user and system ticks), counted after the command name. */
    private static long statTicks(String pid, int field) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[field]) + Long.parseLong(f[field + 1]);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " from /proc ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The database's CPU nanoseconds so far, or -1 when {@code bench.databasePid} is not set. */
    static long databaseNanos() {
        if (DATABASE_PID.isBlank()) {
            return -1;
        }
        try {
            return statTicks(DATABASE_PID, 11) * TICK_NANOS; // utime + stime
        } catch (IllegalStateException e) {
            throw new IllegalStateException("bench.databasePid=" + DATABASE_PID + ": " + e.getMessage(), e);
        }
    }
}
