package dev.cdcrelay.replay;

import dev.cdcrelay.testing.InMemoryS3Server;
import dev.cdcrelay.deadletter.DeadLetter;
import dev.cdcrelay.deadletter.DeadLetterCodec;
import dev.cdcrelay.deadletter.S3ClientSettings;
import dev.cdcrelay.deadletter.S3DeadLetterBucket;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replay s3://bucket/prefix}: listed in pages, streamed, moved when handled; against a local S3 server. */
class ReplayFromS3Test {

    private static final String BUCKET = "relay-dead-letters";
    private static final String DAY = "dead-letter/2024/07/12/";

    private InMemoryS3Server s3;
    private final ReplayFixtures.Run run = new ReplayFixtures.Run();
    private final KinesisRecords sequence = new KinesisRecords(100);

    @BeforeEach
    void startServer() throws Exception {
        s3 = new InMemoryS3Server(2); // two keys per listing page: five letters take three pages
        run.s3(() -> S3DeadLetterBucket.with(S3ClientSettings.forRegion("eu-central-1")
                .withEndpoint(s3.endpoint())
                .withPathStyleAccess()
                .withStaticCredentials("AKIDTEST", "secret"))); // made up: never real credentials
    }

    @AfterEach
    void stopServer() {
        s3.close();
    }

    private String putLetter(String name, IncomingRecord record) {
        DeadLetter letter = new DeadLetter(record, "the sink was down", DeadLetter.SOURCE_DATABASE, null,
                Instant.parse("2024-07-12T01:17:43Z"));
        s3.put(BUCKET, DAY + name, DeadLetterCodec.write(letter));
        return DAY + name;
    }

    @Test
    void replaysEveryLetterUnderThePrefixAndMovesTheAppliedOnes() throws Exception {
        String table = TestSinks.freshTable("replay-s3");
        for (int i = 1; i <= 4; i++) {
            putLetter("letter-" + i + ".json", sequence.next(ReplayFixtures.change("s3", i)));
        }
        String poison = putLetter("letter-5.json", sequence.next("{not json".getBytes(StandardCharsets.UTF_8)));
        s3.put(BUCKET, DAY + "notes.txt", "not a letter".getBytes(StandardCharsets.UTF_8));
        s3.put(BUCKET, "dead-letter/.tmp/letter-6.json", "{half".getBytes(StandardCharsets.UTF_8));

        // No dead-letter destination is configured: the poison record cannot be parked, so it fails.
        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", "--chunk", "1",
                "--move-applied", "replayed/", "s3://" + BUCKET + "/dead-letter/");

        assertEquals(1, code, run.both());
        assertTrue(run.out().startsWith("replayed 5 record(s): applied=4 skipped=0 deadLettered=0 failed=1\n"
                + "4 of 5 input(s) fully handled"), run.both());
        assertTrue(run.out().contains("  s3://" + BUCKET + "/" + poison + "  (records not applied, the first: "
                + "sequence number " + KinesisRecords.sequenceNumber(104) + ")\n"), run.out());
        assertEquals(4, ReplayFixtures.rows(table));
        assertEquals(List.of("dead-letter/.tmp/letter-6.json", DAY + "letter-5.json", DAY + "notes.txt",
                "replayed/2024/07/12/letter-1.json", "replayed/2024/07/12/letter-2.json",
                "replayed/2024/07/12/letter-3.json", "replayed/2024/07/12/letter-4.json"), s3.keys(BUCKET));
        assertTrue(s3.requests().stream().anyMatch(r -> r.query() != null && r.query().contains("continuation-token")),
                "the listing was paged: " + s3.requests());
    }

    @Test
    void inAChunkWithAFailureWhatCameAfterTheFirstFailedRecordStaysToo() throws Exception {
        String table = TestSinks.freshTable("replay-s3-chunk");
        putLetter("letter-1.json", sequence.next(ReplayFixtures.change("chunk", 1)));
        String poison = putLetter("letter-2.json", sequence.next("{not json".getBytes(StandardCharsets.UTF_8)));
        String after = putLetter("letter-3.json", sequence.next(ReplayFixtures.change("chunk", 3)));

        // One chunk of three: the relay names only the first record it did not apply.
        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), table), "replay", "--move-applied", "replayed/",
                "s3://" + BUCKET + "/dead-letter/");

        assertEquals(1, code, run.both());
        assertTrue(run.out().startsWith("replayed 3 record(s): applied=2 skipped=0 deadLettered=0 failed=1\n"
                + "1 of 3 input(s) fully handled"), run.out());
        String firstFailed = KinesisRecords.sequenceNumber(101);
        assertTrue(run.out().contains("  s3://" + BUCKET + "/" + poison + "  (records not applied, the first: "
                + "sequence number " + firstFailed + ")\n"), run.out());
        assertTrue(run.out().contains("  s3://" + BUCKET + "/" + after + "  (not confirmed applied: after sequence "
                + "number " + firstFailed + " in the same chunk, which was not applied)\n"), run.out());
        assertEquals(List.of(poison, after, "replayed/2024/07/12/letter-1.json"), s3.keys(BUCKET));
    }

    @Test
    void aSecondRunAfterTheMoveRedoesOnlyWhatFailed() throws Exception {
        String table = TestSinks.freshTable("replay-s3-again");
        for (int i = 1; i <= 3; i++) {
            putLetter("letter-" + i + ".json", sequence.next(ReplayFixtures.change("again", i)));
        }
        String[] args = {"replay", "--move-applied", "s3://" + BUCKET + "/replayed/", "s3://" + BUCKET + "/dead-letter/"};
        assertEquals(0, run.command(TestSinks.env(TestSinks.postgresUrl(), table), args), run.both());

        ReplayFixtures.Run second = new ReplayFixtures.Run().s3(() -> S3DeadLetterBucket.with(
                S3ClientSettings.forRegion("eu-central-1").withEndpoint(s3.endpoint()).withPathStyleAccess()
                        .withStaticCredentials("AKIDTEST", "secret")));
        assertEquals(0, second.command(TestSinks.env(TestSinks.postgresUrl(), table), args), second.both());

        assertTrue(second.out().startsWith("replayed 0 record(s): applied=0 skipped=0 deadLettered=0 failed=0\n"
                + "0 of 0 input(s) fully handled"), second.out());
        assertEquals(3, ReplayFixtures.rows(table));
    }

    @Test
    void aMoveTargetUnderTheReplayedPrefixIsRefused() {
        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), "unused"), "replay", "--move-applied",
                "dead-letter/done/", "s3://" + BUCKET + "/dead-letter/");

        assertEquals(2, code);
        assertTrue(run.err().startsWith("replay: --move-applied dead-letter/done/ lies under s3://" + BUCKET
                + "/dead-letter/: moved objects would be listed and replayed again\n"), run.err());
        assertEquals(List.of(), s3.requests());
    }

    @Test
    void anUnreachableS3IsABadInputNamedWithItsLocation() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int closedPort = port;
        run.s3(() -> S3DeadLetterBucket.with(S3ClientSettings.forRegion("eu-central-1")
                .withEndpoint(URI.create("http://127.0.0.1:" + closedPort)).withPathStyleAccess()
                .withMaxAttempts(1).withStaticCredentials("AKIDTEST", "secret")));

        int code = run.command(TestSinks.env(TestSinks.postgresUrl(), "unused"), "replay", "s3://" + BUCKET + "/dead-letter/");

        assertEquals(2, code, run.both());
        assertTrue(run.err().startsWith("replay: cannot read the input: ListObjectsV2 s3://" + BUCKET
                + "/dead-letter/ failed: Unable to execute HTTP request"), run.err());
    }
}
