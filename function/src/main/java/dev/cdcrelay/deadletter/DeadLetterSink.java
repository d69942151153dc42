package dev.cdcrelay.deadletter;

import java.util.List;

/**
 * Where poison records go so that they stop blocking their shard.
 *
 * <p>{@link #send} is all-or-nothing from the caller's view: when it returns, every letter is
 * stored; when it throws, the caller must treat all of them as not handled (and report them to
 * Lambda for retry). Some may have been stored already; sinks write each letter under a name
 * derived from its content, so the retry overwrites rather than duplicates.
 */
public interface DeadLetterSink extends AutoCloseable {

    /** Stores every letter, or throws. Never drops a letter silently. */
    void send(List<DeadLetter> letters) throws DeadLetterException;

    /** Where letters go (bucket and prefix, or directory), for log lines. */
    String describe();

    /** Releases connections; does not throw checked exceptions. */
    @Override
    void close();
}
