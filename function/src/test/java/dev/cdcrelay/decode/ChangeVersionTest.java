package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stored sort key: exact spelling, since the sink compares it as text. */
class ChangeVersionTest {

    /** The key as the format defines it: 20-digit time, ':', 128-digit sequence number. */
    private static String spelledOut(long micros, String sequence) {
        String time = Long.toString(micros);
        String digits = sequence.replaceFirst("^0+(?=.)", "");
        return "0".repeat(20 - time.length()) + time + ":" + "0".repeat(128 - digits.length()) + digits;
    }

    @Test
    void sortKeyIsZeroPaddedTimeAndSequenceWithLeadingZerosNormalised() {
        String[] sequences = {"0", "000", "7", "00012", "49545115243447035725467", "9".repeat(128), "0" + "9".repeat(127)};
        long[] times = {0, 1, 9, 10, 99_999, 100_000, 1_720_742_302_233_719L, Long.MAX_VALUE};
        for (long t : times) {
            for (String s : sequences) {
                String key = new ChangeVersion(t, s).sortKey();
                assertEquals(spelledOut(t, s), key, t + " " + s);
                assertEquals(149, key.length());
            }
        }
    }
}
