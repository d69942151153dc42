package dev.cdcrelay.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The cold ceiling's process: what a whole JVM needs at the least to put a replay's final rows
 * into the sink. It creates the relay's tables (the DDL the relay runs), then sends each batch of
 * rows, already planned by the parent, as ONE bulk upsert ({@code executeBatch}) without guard,
 * tombstones or look-ups, and exits. Plain JDBC through {@link DriverManager} with the sink's URL,
 * so the same driver the relay gets; it loads none of the relay's classes.
 *
 * <p>Environment: {@code CRATEDB_JDBC_URL}, {@code CRATEDB_USER}, {@code CRATEDB_PASSWORD} (as the
 * relay reads them). Argument: the rows file {@link #write} made. Exit 0, or 1 with the error.
 */
public final class ColdCeilingProcess {

    private ColdCeilingProcess() {
    }

    /**
     * The rows file: the DDL, the upsert, then per batch its row count and every row's bound text
     * parameters (length-prefixed UTF-8: reading it costs the process next to nothing).
     */
    static void write(Path file, List<String> ddl, String upsertSql, int parameters, List<List<List<String>>> batches)
            throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(ddl.size());
            for (String statement : ddl) {
                text(out, statement);
            }
            text(out, upsertSql);
            out.writeInt(parameters);
            for (List<List<String>> batch : batches) {
                out.writeInt(batch.size());
                for (List<String> row : batch) {
                    for (String value : row) {
                        text(out, value);
                    }
                }
            }
        }
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]));
            System.exit(0);
        } catch (IOException | SQLException e) {
            System.err.println("cold ceiling failed: " + e);
            System.exit(1);
        }
    }

    private static void run(Path rowsFile) throws IOException, SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", System.getenv("CRATEDB_USER"));
        String password = System.getenv("CRATEDB_PASSWORD");
        if (password != null) {
            properties.setProperty("password", password);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(rowsFile), 1 << 16));
             Connection jdbc = DriverManager.getConnection(System.getenv("CRATEDB_JDBC_URL"), properties)) {
            jdbc.setAutoCommit(true);
            try (Statement st = jdbc.createStatement()) {
                for (int i = in.readInt(); i > 0; i--) {
                    st.execute(text(in));
                }
            }
            try (PreparedStatement ps = jdbc.prepareStatement(text(in))) {
                int parameters = in.readInt();
                for (int rows = nextBatch(in); rows >= 0; rows = nextBatch(in)) {
                    for (int r = 0; r < rows; r++) {
                        for (int p = 1; p <= parameters; p++) {
                            ps.setString(p, text(in));
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        }
    }

    /** The next batch's row count, or -1 at the end of the file. */
    private static int nextBatch(DataInputStream in) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException end) {
            return -1;
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
