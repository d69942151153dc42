package dev.cdcrelay.replay;

import dev.cdcrelay.deadletter.DeadLetterException;
import java.util.Optional;

/**
 * {@code --move-applied}: moves each S3 object whose records were all handled to the target
 * prefix, keeping its key below the listed prefix ({@code dead-letter/2024/07/12/x.json} to
 * {@code replayed/2024/07/12/x.json}), so the next replay of the prefix does not redo it. Objects
 * with failures stay where they are. Local files are never touched.
 */
final class MoveApplied implements ReplayRun.AfterHandled {

    private final String target;

    /** @param target {@code prefix} (same bucket as the object) or {@code s3://bucket/prefix} */
    MoveApplied(String target) {
        this.target = target;
    }

    @Override
    public Optional<String> handled(ReplaySource source) {
        if (!(source instanceof ReplaySource.S3Object object)) {
            return Optional.empty();
        }
        S3Location to = S3Location.moveTarget(target, object.bucket());
        String relative = object.key().substring(object.listedUnder().length());
        String toKey = to.prefix() + (relative.startsWith("/") ? relative.substring(1) : relative);
        try {
            object.store().move(object.bucket(), object.key(), to.bucket(), toKey);
            return Optional.empty();
        } catch (DeadLetterException e) {
            return Optional.of(e.getMessage());
        }
    }
}
