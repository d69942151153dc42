package dev.cdcrelay.replay;

import java.util.OptionalLong;

/**
 * What a replay has ahead of it, counted before it starts: inputs and bytes come from a listing
 * (cheap: no input is read); records are not counted, that would mean parsing everything twice.
 *
 * @param inputs inputs to read
 * @param bytes  their total size, empty when one of them (standard input) has no known size
 */
record ReplayTotals(long inputs, OptionalLong bytes) {

    static ReplayTotals of(Iterable<ReplaySource> sources) {
        long inputs = 0;
        long bytes = 0;
        boolean sized = true;
        for (ReplaySource source : sources) {
            inputs++;
            OptionalLong size = source.sizeBytes();
            sized &= size.isPresent();
            bytes += size.orElse(0);
        }
        return new ReplayTotals(inputs, sized ? OptionalLong.of(bytes) : OptionalLong.empty());
    }
}
