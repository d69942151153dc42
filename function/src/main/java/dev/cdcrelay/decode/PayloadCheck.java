package dev.cdcrelay.decode;

import dev.cdcrelay.kinesis.IncomingRecord;

/**
 * Byte-level checks of one record before any parsing: the sequence number (it names the record in
 * every later message), the size, and strict UTF-8 (jackson accepts overlong forms and would
 * auto-detect UTF-16/32 from NUL bytes at the start).
 */
final class PayloadCheck {

    /** Longest part of a malformed sequence number shown in a message. */
    private static final int SHOWN_CHARS = 40;

    private PayloadCheck() {
    }

    /**
     * @param maxBytes the largest payload accepted
     * @return whether the payload is all ASCII (found by the UTF-8 check on the way)
     * @throws InvalidRecordException naming the record and what is wrong
     */
    static boolean check(IncomingRecord record, int maxBytes) throws InvalidRecordException {
        final String seq = record.sequenceNumber();
        if (!ChangeVersion.isSequenceNumber(seq)) {
            throw new InvalidRecordException("record " + shorten(seq)
                    + ": sequence number must be 1.." + ChangeVersion.SEQUENCE_WIDTH + " decimal digits");
        }
        final byte[] data = record.data();
        if (data.length > maxBytes) {
            throw new InvalidRecordException("record " + seq + ": " + data.length
                    + " bytes, more than the limit of " + maxBytes);
        }
        if (data.length == 0) {
            throw new InvalidRecordException("record " + seq + ": empty payload");
        }
        int bad = Utf8.scan(data);
        if (bad >= 0) {
            throw new InvalidRecordException("record " + seq + ": invalid UTF-8 at byte " + bad);
        }
        if (data[0] == 0 || (data.length > 1 && data[1] == 0)) {
            // Jackson would take this for UTF-16 or UTF-32 and decode it; the payload is UTF-8.
            throw new InvalidRecordException("record " + seq + ": not UTF-8 JSON (NUL byte at the start)");
        }
        return bad == Utf8.ASCII;
    }

    /** A malformed sequence number as it may be shown: printable ASCII only, cut after 40 chars. */
    private static String shorten(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < SHOWN_CHARS; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.append(s.length() > SHOWN_CHARS ? "...'" : "'").toString();
    }
}
