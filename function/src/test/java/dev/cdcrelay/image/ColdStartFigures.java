package dev.cdcrelay.image;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.TestSinks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start under the image's own launch: wall clock from starting ENTRYPOINT + CMD (replayed by
 * {@link ImageFilesystem}) to the Runtime API receiving the response to a first 100-record batch
 * applied to embedded PostgreSQL: as the image ships it, with a class-data-sharing archive dumped
 * at the end of one such cold start (the best an archive could do: it holds exactly the classes of
 * this path), and with class data sharing off. A plain main
 * (speed is measured here, never asserted in a test); run it after {@code mvn package}:
 *
 * <pre>{@code
 * cd function && java -cp "target/test-classes:target/function.jar:$(cat target/test.classpath)" \
 *     dev.cdcrelay.image.ColdStartFigures [runs]
 * }</pre>
 *
 * {@code -Dcoldstart.options="-XX:... -XX:..."} adds a row: the image's command line with those
 * options added, to weigh a candidate flag against the image as it ships, in the same runs. They
 * go before the image's own flags, so a flag the image sets itself cannot be changed this way.
 *
 * (target/test.classpath from {@code mvn dependency:build-classpath -Dmdep.outputFile=target/test.classpath -DexcludeArtifactIds=slf4j-nop}.)
 */
public final class ColdStartFigures {

    private static final int BATCH = 100;
    private static long nextDevice;

    private ColdStartFigures() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path root = Files.createTempDirectory("image-cold-start");
        ImageFilesystem fs = ImageFilesystem.layOut(DockerfileStage.finalStageOf(Path.of("Dockerfile")), root,
                Path.of("target").toAbsolutePath(), Path.of(System.getProperty("java.home")));
        Map<String, String> settings = TestSinks.env(TestSinks.postgresUrl(), TestSinks.freshTable("coldstart"));
        String archiveFromRuntime = root.resolve("runtime-trained.jsa").toString();

        coldStart(fs, settings, List.of(), root);   // creates the table; every measured run finds it
        // The dump happens when the JVM exits: ImageLaunch.close() sends SIGTERM, as Lambda does at shutdown.
        coldStart(fs, settings, List.of("-XX:ArchiveClassesAtExit=" + archiveFromRuntime), root);

        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("image command line (JDK's default CDS archive only)", List.of());
        options.put("+ AppCDS archive dumped by one such cold start", List.of("-XX:SharedArchiveFile=" + archiveFromRuntime));
        options.put("-Xshare:off (no CDS at all)", List.of("-Xshare:off"));
        String candidate = System.getProperty("coldstart.options", "").trim();
        if (!candidate.isEmpty()) {
            options.put("+ " + candidate, List.of(candidate.split("\\s+")));
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        options.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (int run = 0; run <= runs; run++) {
            for (var option : options.entrySet()) {   // interleaved, so drift on a shared machine hits all alike
                long ms = coldStart(fs, settings, option.getValue(), root);
                if (run > 0) {
                    times.get(option.getKey()).add(ms);
                }
            }
        }
        System.out.printf("java %s, %d CPUs; %d runs each after 1 discarded, batch of %d records%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs, BATCH);
        System.out.printf("%-56s %8s %8s  %s%n", "option set", "median", "min", "runs (ms)");
        times.forEach((k, v) -> {
            List<Long> sorted = v.stream().sorted().toList();
            System.out.printf("%-56s %8d %8d  %s%n", k, sorted.get(sorted.size() / 2), sorted.get(0), v);
        });
        System.out.printf("archive dumped at the exit of one cold start: %,d bytes%n", Files.size(Path.of(archiveFromRuntime)));
        System.exit(0);
    }

    /** One cold start; returns ms from process start to the first response. */
    private static long coldStart(ImageFilesystem fs, Map<String, String> settings, List<String> flags, Path root)
            throws Exception {
        KinesisRecords shard = new KinesisRecords();
        List<IncomingRecord> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            String device = "d" + nextDevice++;
            batch.add(shard.next(ChangeJson.insert().key("device", device).key("timestamp", "2024-07-12T01:17:42")
                    .set("device", device).set("timestamp", "2024-07-12T01:17:42").set("temperature", 43.59)));
        }
        try (RuntimeApiServer api = new RuntimeApiServer()) {
            api.invoke("first", KinesisRecords.lambdaEventJson(batch));
            try (ImageLaunch function = ImageLaunch.start(fs, api, settings, flags, root.resolve("cold-start.log"))) {
                RuntimeApiServer.Reply reply = function.await("a reply", Duration.ofSeconds(60), api::awaitReply);
                if (!reply.body().contains("\"batchItemFailures\":[]")) {
                    throw new IllegalStateException("batch not applied: " + reply.body());
                }
                return TimeUnit.NANOSECONDS.toMillis(reply.receivedNanos() - function.startNanos());
            }
        }
    }
}
