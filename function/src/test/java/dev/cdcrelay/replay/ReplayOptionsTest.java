package dev.cdcrelay.replay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayOptionsTest {

    @Test
    void defaultsChunksOfTenThousandAndStopAfterThreeFailedChunks() {
        ReplayOptions options = ReplayOptions.parse(new String[] {"replay", "letters/"});

        assertEquals(new ReplayOptions(List.of("letters/"), 10_000, ReplayRun.FailureLimit.afterChunks(3),
                Optional.empty()), options);
    }

    @Test
    void readsEveryOptionAndSeveralInputs() {
        ReplayOptions options = ReplayOptions.parse(("replay --chunk 50 a.json --keep-going s3://b/dead-letter/ "
                + "--move-applied done/ -").split(" "));

        assertEquals(new ReplayOptions(List.of("a.json", "s3://b/dead-letter/", "-"), 50,
                ReplayRun.FailureLimit.never(), Optional.of("done/")), options);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            replay                                      | no input given
            apply x.json                                | the first argument must be 'replay'
            replay --chunk 0 x.json                     | --chunk must be between 1 and 10000, got 0
            replay --chunk many x.json                  | --chunk needs a whole number, got 'many'
            replay x.json --chunk                       | --chunk needs a value
            replay --max-failed-chunks 0 x.json         | --max-failed-chunks must be between 1 and 2147483647, got 0
            replay --keep-going --max-failed-chunks 2 x | --keep-going and --max-failed-chunks contradict each other
            replay --fast x.json                        | unknown option --fast
            replay - -                                  | - (stdin) can be given only once
            replay --move-applied done/ letters/        | --move-applied moves S3 objects, but no s3:// input is given
            replay --move-applied s3://b/a/b/ s3://b/a/ | --move-applied s3://b/a/b/ lies under s3://b/a/: moved objects would be listed and replayed again
            replay s3:///prefix                         | s3:///prefix: no bucket name (expected s3://bucket/prefix)
            """)
    void rejected(String commandLine, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplayOptions.parse(commandLine.split(" ")));
        assertEquals(message, e.getMessage());
    }
}
