package dev.cdcrelay.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a CrateDB writer's time goes, by statement kind, as the server itself logged it
 * ({@code sys.jobs_log}: one entry per statement, a JDBC batch included, with its start and end):
 * count and server milliseconds per kind, for the statements that touched a given table and
 * started inside the given client-side time windows (the timed turns only; the untimed set-up
 * writes of a turn fall outside them). Same machine, so the client's and the server's clocks agree.
 */
final class StatementSplit {

    /**
     * One timed call: client wall-clock milliseconds, and the CPU time this JVM and the database's
     * process used meanwhile ({@link CpuClock}; -1 where unknown).
     */
    record Window(long startMillis, long endMillis, long jvmCpuNanos, long databaseCpuNanos, long jitMillis) {
    }

    private final List<Window> windows = new ArrayList<>();

    void add(long startMillis, long endMillis, CpuClock.Reading before, CpuClock.Reading after) {
        windows.add(new Window(startMillis, endMillis, after.jvmNanos() - before.jvmNanos(),
                before.databaseNanos() < 0 ? -1 : after.databaseNanos() - before.databaseNanos(),
                after.jitMillis() - before.jitMillis()));
    }

    /**
     * One line per statement kind: count per turn and server ms per turn, plus the turns' wall-clock
     * ms per turn (what the server did not account for is the writer's own time and the network).
     */
    String report(Connection crate, String table) throws SQLException {
        if (windows.isEmpty()) {
            return "";
        }
        long from = windows.get(0).startMillis();
        Map<String, long[]> byKind = new TreeMap<>();
        String sql = "SELECT started, ended, substr(stmt, 1, 200) FROM sys.jobs_log WHERE started >= ?"
                + " AND stmt LIKE ? ORDER BY started";
        try (PreparedStatement ps = crate.prepareStatement(sql)) {
            ps.setTimestamp(1, new java.sql.Timestamp(from - 5));
            ps.setString(2, "%" + table + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long started = rs.getTimestamp(1).getTime();
                    long ended = rs.getTimestamp(2).getTime();
                    if (inWindow(started)) {
                        long[] sums = byKind.computeIfAbsent(kind(rs.getString(3), table), k -> new long[2]);
                        sums[0]++;
                        sums[1] += ended - started;
                    }
                }
            }
        }
        double turns = windows.size();
        long wall = windows.stream().mapToLong(w -> w.endMillis() - w.startMillis()).sum();
        long server = byKind.values().stream().mapToLong(s -> s[1]).sum();
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, long[]> e : byKind.entrySet()) {
            out.append(String.format(Locale.ROOT, "      %-34s %6.1f stmts/turn %8.1f server ms/turn%n", e.getKey(),
                    e.getValue()[0] / turns, e.getValue()[1] / turns));
        }
        out.append(String.format(Locale.ROOT, "      %-34s %6s            %8.1f ms/turn (server %.1f, rest %.1f)%n",
                "wall clock of the timed call", "", wall / turns, server / turns, (wall - server) / turns));
        out.append(String.format(Locale.ROOT, "      %-34s %6s            %8.1f ms/turn%n", "CPU of this JVM (all threads)", "",
                windows.stream().mapToLong(Window::jvmCpuNanos).sum() / 1e6 / turns));
        out.append(String.format(Locale.ROOT, "      %-34s %6s            %8.1f ms/turn%n", "  of which JIT compilation (elapsed)", "",
                windows.stream().mapToLong(Window::jitMillis).sum() / turns));
        if (windows.stream().allMatch(w -> w.databaseCpuNanos() >= 0)) {
            out.append(String.format(Locale.ROOT, "      %-34s %6s            %8.1f ms/turn%n", "CPU of the database process", "",
                    windows.stream().mapToLong(Window::databaseCpuNanos).sum() / 1e6 / turns));
        }
        return out.toString();
    }

    private boolean inWindow(long started) {
        for (Window w : windows) {
            if (started >= w.startMillis() - 2 && started <= w.endMillis() + 2) {
                return true;
            }
        }
        return false;
    }

    static String kind(String stmt, String table) {
        String s = stmt.strip();
        boolean tombstones = s.contains(table + "_tombstones");
        if (s.startsWith("INSERT")) {
            if (tombstones) {
                return "tombstone upsert";
            }
            if (s.contains("DO NOTHING")) {
                return "insert-if-absent";
            }
            return s.contains("CASE WHEN") ? "guarded upsert" : "unguarded upsert";
        }
        if (s.startsWith("SELECT")) {
            if (tombstones) {
                return "tombstone look-up";
            }
            if (s.contains("information_schema")) {
                return "catalog read";
            }
            return s.contains("_seq_no") ? "revision read (delete, update)" : "other read";
        }
        if (s.startsWith("UPDATE")) {
            return "update by revision";
        }
        if (s.startsWith("DELETE")) {
            return tombstones ? "tombstone purge" : "guarded delete";
        }
        return "other: " + s.substring(0, Math.min(30, s.length()));
    }
}
