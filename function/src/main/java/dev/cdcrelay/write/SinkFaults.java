package dev.cdcrelay.write;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@link SinkFault}s the relay knows, each with the fix an operator can apply. */
final class SinkFaults {

    private static final String WAYS_OUT = "drop or rename that table (the relay then creates its own),"
            + " or point CRATEDB_TABLE at another table";

    private SinkFaults() {
    }

    static SinkFault missing(TableName table, String createSql) {
        return new SinkFault(table, "the table does not exist, and RELAY_CREATE_TABLE=false forbids the relay"
                + " to create it", "create it: " + createSql + "; or set RELAY_CREATE_TABLE=true");
    }

    static SinkFault notVisible(TableName table, String grant) {
        return new SinkFault(table, "the table is not visible to the configured user (CRATEDB_USER) even after"
                + " CREATE TABLE IF NOT EXISTS: it exists but the user holds no privilege on it",
                "grant the privileges: " + grant);
    }

    static SinkFault mayNotAdopt(TableName table, List<ExpectedLayout.ExpectedColumn> missing, List<String> addSql) {
        return new SinkFault(table, "the table has the reference layout (pk, data, aux) but lacks "
                + missing.stream().map(ExpectedLayout.ExpectedColumn::declaration).toList()
                + ", and RELAY_CREATE_TABLE=false forbids the relay to alter it",
                "run: " + String.join("; ", addSql) + "; or set RELAY_CREATE_TABLE=true and the relay adds it");
    }

    static SinkFault otherLayout(TableName table, TableLayout found, List<String> differences, ExpectedLayout expected) {
        return new SinkFault(table, "the table is not in the layout the relay writes: " + String.join("; ", differences)
                + ". Found " + LayoutCheck.describe(found) + ", expected " + expected.createSql(), WAYS_OUT);
    }

    /** {@code blocks.write, blocks.read_only} as {@code "blocks.write", "blocks.read_only"}. */
    private static String quotedSettings(String names) {
        return "\"" + String.join("\", \"", names.split(", ")) + "\"";
    }

    /**
     * The fault behind a sink-wide error the layout does not explain.
     *
     * @param blocks  the table's write blocks that are set, when the sink could tell
     */
    static SinkFault explain(SQLException error, TableName table, TableName tombstones, SinkSession.TablePolicy policy,
                             Optional<SinkDialect> dialect, Optional<String> blocks) {
        String said = SqlErrors.describe(error);
        String msg = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
        String state = error.getSQLState() == null ? "" : error.getSQLState();
        String grant = dialect.map(d -> d.grantStatement(table, tombstones)).orElse("grant the relay's user"
                + " read and write privileges on both tables");
        if (msg.contains("currently closed")) {
            return new SinkFault(table, "the table is closed: " + said, "ALTER TABLE " + table.sql() + " OPEN");
        }
        if (blocks.isPresent() || msg.contains("doesn't support or allow")) {
            return new SinkFault(table, "writes to the table are blocked" + blocks.map(b -> " (" + b + " is set)").orElse("")
                    + ": " + said,
                    "if the cluster's disk went past the flood-stage watermark, free disk space first; then"
                            + " ALTER TABLE " + table.sql() + " RESET (" + blocks.map(SinkFaults::quotedSettings)
                            .orElse("\"blocks.write\", \"blocks.read_only\", \"blocks.read_only_allow_delete\"") + ")");
        }
        if (msg.contains("clusterblock") || msg.contains("cluster_block") || msg.contains("read-only")
                || msg.contains("read_only") || state.equals("25006")) {
            return new SinkFault(table, "the database accepts no writes (read-only): " + said,
                    "free disk space if it filled up, then lift the block (CrateDB: SET GLOBAL"
                            + " \"cluster.blocks.read_only\" = false; PostgreSQL: write to the primary, not a standby)");
        }
        if (state.equals("42501") || msg.contains("privilege") || msg.contains("permission denied")) {
            return new SinkFault(table, "the configured user (CRATEDB_USER) lacks a privilege: " + said,
                    "grant it: " + grant);
        }
        if (state.startsWith("28") || msg.contains("authentication")) {
            return new SinkFault(table, "the sink refused the login: " + said,
                    "check CRATEDB_USER and its password (CRATEDB_PASSWORD or the password secret)");
        }
        if (state.equals("42P01") || state.equals("3F000") || state.startsWith("3D")) {
            // CrateDB answers "Schema 'doc' unknown" to a user without any privilege on it (measured).
            return new SinkFault(table, "the table or its schema does not exist, or the configured user"
                    + " (CRATEDB_USER) holds no privilege on it: " + said,
                    "if the user lacks privileges, " + grant + (policy == SinkSession.TablePolicy.CREATE_AND_ADOPT
                            ? "; if the table was dropped, nothing: the relay creates it again on the next attempt"
                            : "; if the table is missing, create it or set RELAY_CREATE_TABLE=true"));
        }
        if (state.equals("42703")) {
            return new SinkFault(table, "the table lacks a column the relay writes: " + said, WAYS_OUT);
        }
        return new SinkFault(table, "the sink refused every row with the same error: " + said,
                "fix the table or the cluster as the message says");
    }
}
