package dev.cdcrelay.deadletter;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;

/**
 * Names under which a dead letter is stored. Derived from the record alone (sequence number plus a
 * hash of the payload), so when Lambda re-delivers a record that was already dead-lettered, the
 * letter overwrites its earlier copy instead of piling up.
 */
final class DeadLetterNames {

    /** Sequence numbers are decimal digits; anything else (dots too: no hidden files) becomes "_". */
    private static final int MAX_SEQUENCE_NUMBER_CHARS = 128;
    private static final int HASH_BYTES = 8;

    private DeadLetterNames() {
    }

    /** {@code <sequenceNumber>-<hash of payload>.json}, safe as a file name and in an S3 key. */
    static String fileName(DeadLetter letter) {
        return safeSequenceNumber(letter.record().sequenceNumber()) + "-" + shortHash(letter.record().data()) + ".json";
    }

    /** {@code <prefix><yyyy>/<MM>/<dd>/<fileName>}, the date of failure in UTC. */
    static String s3Key(String prefix, DeadLetter letter) {
        ZonedDateTime day = letter.failedAt().atZone(ZoneOffset.UTC);
        return String.format("%s%04d/%02d/%02d/%s", prefix, day.getYear(), day.getMonthValue(), day.getDayOfMonth(),
                fileName(letter));
    }

    private static String safeSequenceNumber(String sequenceNumber) {
        if (sequenceNumber.isEmpty()) {
            return "no-sequence-number";
        }
        String safe = sequenceNumber.replaceAll("[^A-Za-z0-9_-]", "_");
        return safe.length() <= MAX_SEQUENCE_NUMBER_CHARS ? safe : safe.substring(0, MAX_SEQUENCE_NUMBER_CHARS);
    }

    /** First 8 bytes of SHA-256, hex: tells apart different payloads that share a sequence number. */
    static String shortHash(byte[] payload) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload);
            return HexFormat.of().formatHex(digest, 0, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
