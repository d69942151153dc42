package dev.cdcrelay.replay;

import dev.cdcrelay.deadletter.S3DeadLetterBucket;
import dev.cdcrelay.deadletter.S3DeadLetterBucket.StoredObject;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The dead-letter objects under an S3 prefix, in key order (S3 lists keys in UTF-8 byte order,
 * which for the dead-letter layout {@code <prefix>yyyy/MM/dd/...} is the order of failure days),
 * listed a page at a time as the replay goes. Like a local directory: only {@code *.json}, and no
 * key with a part after the prefix that starts with a dot.
 */
final class S3Inputs implements Iterable<ReplaySource> {

    private final S3DeadLetterBucket store;
    private final S3Location location;

    S3Inputs(S3DeadLetterBucket store, S3Location location) {
        this.store = store;
        this.location = location;
    }

    @Override
    public Iterator<ReplaySource> iterator() {
        Iterator<StoredObject> objects = store.list(location.bucket(), location.prefix()).iterator();
        return new Iterator<>() {
            private Optional<ReplaySource> next = advance();

            private Optional<ReplaySource> advance() {
                while (objects.hasNext()) {
                    StoredObject object = objects.next();
                    if (isDeadLetter(object.key())) {
                        return Optional.of(new ReplaySource.S3Object(store, location.bucket(), location.prefix(),
                                object.key(), object.size()));
                    }
                }
                return Optional.empty();
            }

            @Override
            public boolean hasNext() {
                return next.isPresent();
            }

            @Override
            public ReplaySource next() {
                ReplaySource current = next.orElseThrow(NoSuchElementException::new);
                next = advance();
                return current;
            }
        };
    }

    private boolean isDeadLetter(String key) {
        String relative = key.substring(location.prefix().length());
        if (!key.endsWith(".json")) {
            return false;
        }
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        return true;
    }
}
