package dev.cdcrelay.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code replay}, checked as a whole.
 *
 * @param inputs          files, directories, {@code -} (standard input) or {@code s3://bucket/prefix}, in order
 * @param chunkSize       records per call of the relay (and so the most held in memory)
 * @param failureLimit    when to stop for records not applied
 * @param moveAppliedTo   where fully handled S3 objects go, when asked
 */
record ReplayOptions(List<String> inputs, int chunkSize, ReplayRun.FailureLimit failureLimit,
                     Optional<String> moveAppliedTo) {

    /**
     * The most records one Lambda invocation can carry (a chunk also closes at its 6 MB, {@link
     * ReplayRun#MAX_CHUNK_BYTES}). Each chunk costs the sink fixed work (a tombstone look-up, a
     * statement per kind), so larger chunks write the same changes sooner (measured in
     * docs/performance-log.md, "Cold replay of 30,000 changes: where the time goes").
     */
    static final int DEFAULT_CHUNK = 10_000;
    static final int DEFAULT_MAX_FAILED_CHUNKS = 3;

    static final String USAGE = """
            usage: java -jar function.jar replay [options] <input>...
              <input>: a file (a Lambda Kinesis event, dead-letter documents or NDJSON change records),
                       a directory (every *.json below it), - for stdin, or s3://bucket/prefix (the
                       dead-letter objects under it; AWS region and credentials from the default chains)
              --chunk N                records per call of the relay, at most 10000 (default 10000)
              --max-failed-chunks N    stop after N chunks with records not applied (default 3)
              --keep-going             never stop for records not applied; read every input
              --move-applied PREFIX    move each S3 object whose records were all handled to PREFIX
                                       (same bucket) or s3://bucket/prefix
              applies them to the sink set by CRATEDB_JDBC_URL, CRATEDB_USER, CRATEDB_PASSWORD,
              CRATEDB_TABLE (and the other RELAY_* variables of the function).
              exit: 0 all handled, 1 some records not applied, 2 bad usage, input or configuration""";

    /** @throws IllegalArgumentException naming the option and what is wrong */
    static ReplayOptions parse(String[] args) {
        if (args.length == 0 || !args[0].equals("replay")) {
            throw new IllegalArgumentException("the first argument must be 'replay'");
        }
        List<String> inputs = new ArrayList<>();
        int chunk = DEFAULT_CHUNK;
        Optional<Integer> maxFailedChunks = Optional.empty();
        boolean keepGoing = false;
        Optional<String> moveTo = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--chunk" -> chunk = number(args, ++i, "--chunk", 1, 10_000);
                case "--max-failed-chunks" -> maxFailedChunks = Optional.of(
                        number(args, ++i, "--max-failed-chunks", 1, Integer.MAX_VALUE));
                case "--keep-going" -> keepGoing = true;
                case "--move-applied" -> moveTo = Optional.of(value(args, ++i, "--move-applied"));
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    inputs.add(args[i]);
                }
            }
        }
        check(inputs, keepGoing, maxFailedChunks, moveTo);
        ReplayRun.FailureLimit limit = keepGoing ? ReplayRun.FailureLimit.never()
                : ReplayRun.FailureLimit.afterChunks(maxFailedChunks.orElse(DEFAULT_MAX_FAILED_CHUNKS));
        return new ReplayOptions(List.copyOf(inputs), chunk, limit, moveTo);
    }

    private static void check(List<String> inputs, boolean keepGoing, Optional<Integer> maxFailedChunks,
                              Optional<String> moveTo) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input given");
        }
        if (inputs.stream().filter("-"::equals).count() > 1) {
            throw new IllegalArgumentException("- (stdin) can be given only once");
        }
        inputs.stream().filter(S3Location::isS3).forEach(S3Location::parse); // throws on a malformed one
        if (keepGoing && maxFailedChunks.isPresent()) {
            throw new IllegalArgumentException("--keep-going and --max-failed-chunks contradict each other");
        }
        if (moveTo.isPresent()) {
            if (inputs.stream().noneMatch(S3Location::isS3)) {
                throw new IllegalArgumentException("--move-applied moves S3 objects, but no s3:// input is given");
            }
            for (String input : inputs.stream().filter(S3Location::isS3).toList()) {
                S3Location from = S3Location.parse(input);
                S3Location to = S3Location.moveTarget(moveTo.get(), from.bucket());
                if (from.contains(to)) {
                    throw new IllegalArgumentException("--move-applied " + moveTo.get() + " lies under " + input
                            + ": moved objects would be listed and replayed again");
                }
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String option, int min, int max) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }
}
