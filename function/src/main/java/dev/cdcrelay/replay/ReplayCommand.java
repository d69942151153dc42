package dev.cdcrelay.replay;

import dev.cdcrelay.deadletter.DeadLetterException;
import dev.cdcrelay.deadletter.S3DeadLetterBucket;
import dev.cdcrelay.relay.Relay;
import dev.cdcrelay.relay.RelayConfig;
import dev.cdcrelay.write.Deadline;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code java -jar function.jar replay [options] <input>...}: applies saved records (Lambda Kinesis
 * events, dead letters from a directory or straight from S3, NDJSON change records) to the sink
 * configured by the same environment variables as the function, and prints what came of them and
 * what to run again. Inputs are streamed and applied in chunks, so memory does not grow with
 * their size. Re-applying is always safe: the sink keeps the newest version of each item.
 *
 * <p>Exit codes: 0 all handled, 1 some records not applied, 2 bad usage, input or configuration.
 */
public final class ReplayCommand {

    /** How the command meets the world; tests give their own. */
    record Surroundings(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err,
                        ProgressLine.Display display, LongSupplier nanoTime, S3Connector s3) {
    }

    /** Creates the S3 client when an s3:// input is given (not before: the SDK is slow to load). */
    @FunctionalInterface
    interface S3Connector {
        S3DeadLetterBucket connect() throws DeadLetterException;
    }

    private ReplayCommand() {
    }

    public static void main(String[] args) {
        // A lambda, not S3DeadLetterBucket::withDefaultChains: a method reference links the class
        // at once, which loads part of the AWS SDK into every replay, S3 or not.
        Surroundings world = new Surroundings(System.getenv(), System.in, System.out, System.err,
                displayFor(System.console()), System::nanoTime, () -> S3DeadLetterBucket.withDefaultChains());
        System.exit(run(args, world));
    }

    static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        return run(args, new Surroundings(env, stdin, out, err, ProgressLine.Display.PLAIN, System::nanoTime,
                S3DeadLetterBucket::withDefaultChains));
    }

    static int run(String[] args, Surroundings world) {
        PrintStream err = world.err();
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.println(ReplayOptions.USAGE);
            return 2;
        }
        List<S3DeadLetterBucket> opened = new ArrayList<>();
        try {
            List<Iterable<ReplaySource>> sources = sources(options, world, opened);
            // Reading starts first: the first records are read while the configuration is read
            // and the sink is reached.
            ReplayRun.Reading reading = new ReplayRun.Reading(concat(sources).iterator(), options.chunkSize());
            try {
                RelayConfig config;
                try {
                    config = RelayConfig.fromEnvironment(world.env());
                } catch (IllegalArgumentException e) {
                    err.println("replay: configuration: " + e.getMessage());
                    return 2;
                }
                return replay(options, config, sources, reading, world);
            } finally {
                reading.stop();
            }
        } catch (IOException | UncheckedIOException | DeadLetterException e) {
            err.println("replay: cannot read the input: " + e.getMessage());
            return 2;
        } finally {
            for (S3DeadLetterBucket bucket : opened) { // a loop: a method reference would link the SDK here too
                bucket.close();
            }
        }
    }

    private static int replay(ReplayOptions options, RelayConfig config, List<Iterable<ReplaySource>> sources,
                              ReplayRun.Reading reading, Surroundings world) {
        long start = world.nanoTime().getAsLong();
        ProgressLine progress = new ProgressLine(world.err(), world.nanoTime(), world.display(),
                ReplayTotals.of(concat(sources)));
        ReplayRun.AfterHandled afterHandled = options.moveAppliedTo()
                .<ReplayRun.AfterHandled>map(MoveApplied::new).orElse(ReplayRun.AfterHandled.NOTHING);
        ReplayReport report;
        // The first record's keys name the key schema (when none is configured) as soon as it is
        // read, so the tables are prepared while the first chunk is read, not after it.
        try (Relay relay = Relay.fromConfig(config, reading::firstChange, line -> progress.log("[cdc-relay] " + line))) {
            ReplayRun run = new ReplayRun(chunk -> relay.applyDecoded(chunk, Deadline.none()), afterHandled,
                    options.chunkSize(), options.failureLimit(), progress);
            report = run.run(reading);
        }
        report.print(world.out(), world.nanoTime().getAsLong() - start);
        return report.exitCode();
    }

    /** What each input argument stands for, in order; fails early on a path that does not exist. */
    private static List<Iterable<ReplaySource>> sources(ReplayOptions options, Surroundings world,
                                                        List<S3DeadLetterBucket> opened)
            throws IOException, DeadLetterException {
        List<Iterable<ReplaySource>> sources = new ArrayList<>();
        Optional<S3DeadLetterBucket> s3 = Optional.empty();
        for (String input : options.inputs()) {
            if (input.equals("-")) {
                sources.add(List.of(new ReplaySource.Stream("stdin", world.stdin())));
            } else if (S3Location.isS3(input)) {
                if (s3.isEmpty()) {
                    s3 = Optional.of(world.s3().connect());
                    opened.add(s3.get());
                }
                sources.add(new S3Inputs(s3.get(), S3Location.parse(input)));
            } else {
                sources.add(InputFiles.below(Path.of(input)));
            }
        }
        return sources;
    }

    /** One after the other, each listed only when reached (a stream's flatMap could buffer a whole listing). */
    private static Iterable<ReplaySource> concat(List<Iterable<ReplaySource>> sources) {
        return () -> new Iterator<>() {
            private final Iterator<Iterable<ReplaySource>> outer = sources.iterator();
            private Iterator<ReplaySource> inner = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!inner.hasNext() && outer.hasNext()) {
                    inner = outer.next().iterator();
                }
                return inner.hasNext();
            }

            @Override
            public ReplaySource next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return inner.next();
            }
        };
    }

    /**
     * A console exists only when both standard streams are a terminal up to Java 21; from Java 22
     * on {@code System.console()} may exist for redirected streams too, and {@code isTerminal()}
     * tells (looked up by name: the code is compiled for 17).
     */
    static ProgressLine.Display displayFor(Console console) {
        if (console == null) {
            return ProgressLine.Display.PLAIN;
        }
        try {
            boolean terminal = (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            return terminal ? ProgressLine.Display.TERMINAL : ProgressLine.Display.PLAIN;
        } catch (ReflectiveOperationException e) {
            return ProgressLine.Display.TERMINAL; // Java 17-21: a console is a terminal
        }
    }
}
