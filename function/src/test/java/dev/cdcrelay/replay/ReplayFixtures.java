package dev.cdcrelay.replay;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Inputs and a captured command line for replay tests:
 * <pre>{@code
 * ReplayFixtures.Run run = new ReplayFixtures.Run();
 * List<Path> files = ReplayFixtures.eventFiles(dir, "item", 3, 2);  // 3 files, 2 records each
 * int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", dir.toString());
 * assertTrue(run.out().contains("applied=6"));
 * }</pre>
 */
final class ReplayFixtures {

    private ReplayFixtures() {
    }

    /** Captures stdout and stderr of one or more command runs. */
    static final class Run {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private byte[] stdin = new byte[0];
        private ReplayCommand.S3Connector s3 = () -> {
            throw new AssertionError("this test gives no S3 input");
        };
        private LongSupplier clock = System::nanoTime;

        Run stdin(byte[] content) {
            this.stdin = content;
            return this;
        }

        Run s3(ReplayCommand.S3Connector connector) {
            this.s3 = connector;
            return this;
        }

        int command(Map<String, String> env, String... args) {
            ReplayCommand.Surroundings world = new ReplayCommand.Surroundings(env, new ByteArrayInputStream(stdin),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    ProgressLine.Display.PLAIN, clock, s3);
            return ReplayCommand.run(args, world);
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        String both() {
            return out() + "\n--- stderr ---\n" + err();
        }
    }

    /** A seed-shaped change of its own item {@code <prefix>-<n>}. */
    static ChangeJson change(String prefix, int n) {
        return ChangeJson.insert().key("device", prefix + "-" + n).key("timestamp", "2024-07-12T01:17:42")
                .set("temperature", n).set("humidity", 50);
    }

    /**
     * {@code files} Lambda event files {@code 01.json, 02.json, ...} in {@code dir}, each with
     * {@code perFile} records of distinct items, sequence numbers ascending across files.
     */
    static List<Path> eventFiles(Path dir, String prefix, int files, int perFile) throws IOException {
        KinesisRecords sequence = new KinesisRecords();
        List<Path> paths = new ArrayList<>();
        int n = 0;
        for (int f = 1; f <= files; f++) {
            List<IncomingRecord> records = new ArrayList<>();
            for (int i = 0; i < perFile; i++) {
                records.add(sequence.next(change(prefix, n++)));
            }
            paths.add(Files.writeString(dir.resolve(String.format("%02d.json", f)),
                    KinesisRecords.lambdaEventJson(records)));
        }
        return paths;
    }

    /** The relay's environment for a sink nobody listens on: every write fails at once, no retry. */
    static Map<String, String> sinkDownEnv(String table) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(TestSinks.env("jdbc:postgresql://127.0.0.1:" + port + "/postgres", table));
        env.put("RELAY_MAX_ATTEMPTS", "1");
        env.put("RELAY_CONNECT_TIMEOUT_SECONDS", "1");
        return env;
    }

    static long rows(String table) throws SQLException {
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
