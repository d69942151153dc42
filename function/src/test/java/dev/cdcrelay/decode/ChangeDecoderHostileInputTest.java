package dev.cdcrelay.decode;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SeedRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.cdcrelay.testing.DynamoJson.list;
import static dev.cdcrelay.testing.DynamoJson.map;
import static dev.cdcrelay.testing.DynamoJson.typed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The issue's requirement: "fuzz the decoder (random bytes, nesting beyond 32 levels, huge
 * strings, invalid UTF-8, numbers such as 1e400 or 39 digits): it never crashes or hangs the
 * handler and always gives a clear reason". Every case either decodes or throws
 * {@link InvalidRecordException} with a short message that names the record and never contains
 * the payload (checked with a marker planted in attribute values).
 *
 * <p>The timeouts are hang guards only (generous, for slow shared machines), not benchmarks.
 */
class ChangeDecoderHostileInputTest {

    /** Planted in attribute values; must never show up in a message. Valid base64 as well. */
    private static final String MARKER = "SeCrEtMaRkEr";
    private static final String SEQ = KinesisRecords.sequenceNumber(42);

    private final ChangeDecoder decoder = new ChangeDecoder();

    /** Decodes; returns null when accepted, the message when rejected; fails on anything else. */
    private String outcome(byte[] data) {
        try {
            ChangeRecord r = decoder.decode(new IncomingRecord(SEQ, "", data, 0));
            assertNotNull(r);
            assertFalse(r.keys().isEmpty());
            return null;
        } catch (InvalidRecordException e) {
            checkMessage(e);
            return e.getMessage();
        }
    }

    private String rejected(byte[] data) {
        String m = outcome(data);
        assertNotNull(m, "expected a rejection");
        return m;
    }

    private String rejected(String json) {
        return rejected(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkMessage(InvalidRecordException e) {
        String m = e.getMessage();
        assertNotNull(m);
        assertTrue(m.startsWith("record " + SEQ + ": ") && m.length() > ("record " + SEQ + ": ").length() + 3,
                "message must name the record and say what is wrong: " + m);
        assertTrue(m.length() <= 400, () -> "message too long (" + m.length() + "): " + m.substring(0, 200));
        assertFalse(m.contains(MARKER), "message leaks the payload: " + m);
        assertNull(e.getCause(), "no cause (jackson's messages quote the payload)");
    }

    // ------------------------------------------------------------------ fuzz

    private static List<byte[]> validSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(SeedRecords.insert().set("note", MARKER).toBytes());
        seeds.add(SeedRecords.MODIFY_JSON.replace("43.59", "43.59\"},\"secret\":{\"S\":\"" + MARKER)
                .getBytes(StandardCharsets.UTF_8));
        seeds.add(ChangeJson.modify().key("id", MARKER).key("sort", 7)
                .set("s", MARKER + " and more " + MARKER)
                .set("b", DynamoJson.b64(MARKER))
                .set("ss", DynamoJson.stringSet(MARKER, "x" + MARKER))
                .set("bs", DynamoJson.typed("{\"BS\":[\"" + MARKER + "\",\"AQ==\"]}"))
                .set("ns", DynamoJson.numberSet(1, "-2.5E+3", "12345678901234567890123456789012345678"))
                .set("m", map("inner", map("deep", list(MARKER, 1, true, null, map("k", MARKER))), "flag", false))
                .set("l", list(list(list(MARKER)), 3.25, new byte[]{1, 2, 3}))
                .old("s", MARKER).old("m", map("a", MARKER))
                .extraField("future", "{\"x\":[\"" + MARKER + "\"]}")
                .toBytes());
        seeds.add(ChangeJson.remove().key("pk", MARKER).old("payload", MARKER).ttl().toBytes());
        seeds.add(ChangeJson.insert().key("id", 1).set("v", MARKER).time(1720742302233L, null).toBytes());
        return seeds;
    }

    private static final byte[][] FRAGMENTS = {
            "{\"M\":{".getBytes(StandardCharsets.UTF_8), "{\"L\":[".getBytes(StandardCharsets.UTF_8),
            "{\"N\":\"1e400\"}".getBytes(StandardCharsets.UTF_8),
            "{\"N\":\"123456789012345678901234567890123456789\"}".getBytes(StandardCharsets.UTF_8),
            "{\"N\":\"NaN\"}".getBytes(StandardCharsets.UTF_8), "{\"S\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            "\\u0000".getBytes(StandardCharsets.UTF_8), "\\ud800".getBytes(StandardCharsets.UTF_8),
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90},
            {(byte) 0xE2, (byte) 0x82}, {0}, "[[[[[[[[[[".getBytes(StandardCharsets.UTF_8),
            "}}}}]]]]".getBytes(StandardCharsets.UTF_8), "\"\":".getBytes(StandardCharsets.UTF_8),
            ",\"eventName\":\"REMOVE\"".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8),
            "99999999999999999999999".getBytes(StandardCharsets.UTF_8), "-0.0e-0".getBytes(StandardCharsets.UTF_8),
            "{\"BOOL\":\"t\"}".getBytes(StandardCharsets.UTF_8), "\"MICROSECOND\"".getBytes(StandardCharsets.UTF_8),
    };

    private static final byte[] STRUCTURAL = "{}[]\":,\\0123456789eE.-+ntfSNBMLx ".getBytes(StandardCharsets.UTF_8);

    private static byte[] mutate(byte[] src, Random rnd) {
        byte[] b = src;
        int ops = 1 + rnd.nextInt(3);
        for (int op = 0; op < ops && b.length > 0; op++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    b = b.clone();
                    b[pos] ^= (byte) (1 << rnd.nextInt(8));
                }
                case 1 -> {
                    b = b.clone();
                    b[pos] = (byte) rnd.nextInt(256);
                }
                case 2 -> {
                    b = b.clone();
                    b[pos] = STRUCTURAL[rnd.nextInt(STRUCTURAL.length)];
                }
                case 3 -> {
                    int len = Math.min(1 + rnd.nextInt(16), b.length - pos);
                    b = splice(b, pos, len, new byte[0]);
                }
                case 4 -> {
                    int from = rnd.nextInt(b.length);
                    int len = Math.min(1 + rnd.nextInt(64), b.length - from);
                    b = splice(b, pos, 0, Arrays.copyOfRange(b, from, from + len));
                }
                case 5 -> b = Arrays.copyOf(b, pos);
                case 6 -> {
                    byte[] junk = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(junk);
                    b = splice(b, pos, 0, junk);
                }
                default -> {
                    int len = Math.min(rnd.nextInt(12), b.length - pos);
                    b = splice(b, pos, len, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int pos, int removeLen, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, pos);
        out.write(insert, 0, insert.length);
        out.write(b, pos + removeLen, b.length - pos - removeLen);
        return out.toByteArray();
    }

    /**
     * Random "JSON-looking" token soup. The marker only appears right after a type key, i.e. as
     * a value (a name may legitimately appear in a path).
     */
    private static byte[] tokenSoup(Random rnd) {
        String[] tokens = {"{", "}", "[", "]", ":", ",", "\"eventName\"", "\"INSERT\"", "\"dynamodb\"", "\"Keys\"",
                "\"NewImage\"", "\"S\"", "\"N\"", "\"M\"", "\"L\"", "\"x\"", "1", "1e400", "true",
                "null", "\"ApproximateCreationDateTime\"", "\"1.5\"", "{\"S\":\"" + MARKER + "\"}"};
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            sb.append(tokens[rnd.nextInt(tokens.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzNeverCrashesNeverHangsAndNeverLeaks() {
        Random rnd = new Random(20_240_712L);
        List<byte[]> seeds = validSeeds();
        for (byte[] seed : seeds) {
            assertNull(outcome(seed), "seed must decode: " + new String(seed, StandardCharsets.UTF_8));
        }
        int accepted = 0;
        int rejected = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] data;
            if (i < 3_000) {
                data = new byte[rnd.nextInt(257)];
                rnd.nextBytes(data);
            } else if (i < 4_000) {
                data = tokenSoup(rnd);
            } else {
                data = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            }
            try {
                if (outcome(data) == null) {
                    accepted++;
                } else {
                    rejected++;
                }
            } catch (Throwable t) {   // assertion failures and unexpected exceptions alike
                if (failures.size() < 10) {
                    failures.add("case " + i + ": " + t + "\n  input: " + printable(data));
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " fuzz failures, first ones:\n" + String.join("\n", failures));
        }
        assertTrue(rejected > 15_000, "most mutations must be rejected: " + rejected);
        assertTrue(accepted > 50, "some mutations (e.g. of string contents) must still decode: " + accepted);
    }

    /** The input for a failure report: ASCII as is, everything else as \\xNN. */
    private static String printable(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.length && i < 2000; i++) {
            int c = data[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void tenThousandOpeningBracketsAnywhere() {
        String brackets = "[".repeat(10_000);
        String braces = "{\"a\":".repeat(10_000);
        assertTrue(rejected(brackets).endsWith(": the payload is not a JSON object"));
        String inUnknown = rejected("{\"x\":" + brackets);
        assertTrue(inUnknown.contains("(unknown field): exceeds a parser limit: Document nesting depth (101)"),
                inUnknown);
        assertTrue(rejected("{\"x\":" + braces).contains("exceeds a parser limit"));
        String base = ChangeJson.insert().key("id", 1).set("v", typed("@")).toJson();
        assertTrue(rejected(base.replace("@", "{\"L\":" + brackets)).contains(
                "NewImage.v[0]: attribute value must be an object with one type key"));
        assertTrue(rejected(base.replace("@", "{\"M\":" + braces)).contains(
                "NewImage.v.a: unknown type descriptor"));
        String deepMaps = "{\"M\":{\"m\":".repeat(10_000);
        assertTrue(rejected(base.replace("@", deepMaps)).contains("M/L nested deeper than 32 levels"));
        String deepLists = "{\"L\":[".repeat(10_000);
        assertTrue(rejected(base.replace("@", deepLists)).contains("M/L nested deeper than 32 levels"));
        assertTrue(rejected(ChangeJson.insert().key("id", 1).userIdentityJson(brackets).toJson())
                .contains("userIdentity: must be an object or null"));
        assertTrue(rejected(ChangeJson.insert().key("id", 1).userIdentityJson("{\"x\":" + brackets).toJson())
                .contains("exceeds a parser limit"));
    }

    // ------------------------------------------------------------------ sizes

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twentyMegabyteStringIsRejectedBeforeParsing() {
        String huge = MARKER.repeat(20 * 1024 * 1024 / MARKER.length());
        byte[] data = ChangeJson.insert().key("id", 1).set("v", huge).toBytes();
        String m = rejected(data);
        assertEquals("record " + SEQ + ": " + data.length + " bytes, more than the limit of "
                + ChangeDecoder.MAX_RECORD_BYTES, m);
    }

    @Test
    void stringAboveTheStringLimitIsRejectedByTheParser() {
        String big = MARKER.repeat(3 * 1024 * 1024 / MARKER.length());   // 3 MiB: under the record limit
        String m = rejected(ChangeJson.insert().key("id", 1).set("v", big).toBytes());
        assertTrue(m.contains("NewImage.v: exceeds a parser limit: String value length"), m);
        assertTrue(m.contains("exceeds the maximum allowed (" + ChangeDecoder.MAX_STRING_CHARS + ")"), m);
        String inKeys = rejected(ChangeJson.insert().key("id", big).toBytes());
        assertTrue(inKeys.contains("Keys.id: exceeds a parser limit: String value length"), inKeys);
    }

    @Test
    void attributeNameAboveTheNameLimitIsRejected() {
        String name = "n".repeat(ChangeDecoder.MAX_NAME_BYTES + 10);
        String m = rejected(ChangeJson.insert().key("id", 1).set(name, 1).toBytes());
        assertTrue(m.contains("NewImage: exceeds a parser limit: Name length"), m);
        // A 64 KB name (DynamoDB's limit) is fine.
        assertNull(outcome(ChangeJson.insert().key("id", 1).set("n".repeat(65_535), 1).toBytes()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manySmallValuesUpToTheRecordLimitDecode() {
        // ~9 MiB: far beyond any real item, but inside the record limit; must decode, not blow up.
        StringBuilder sb = new StringBuilder("{\"L\":[");
        for (int i = 0; i < 680_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"NULL\":true}");
        }
        sb.append("]}");
        assertNull(outcome(ChangeJson.insert().key("id", 1).set("v", typed(sb.toString())).toBytes()));
        // 100,000 distinct attribute names (a 400 KB item cannot hold more).
        ChangeJson wide = ChangeJson.insert().key("id", 1);
        for (int i = 0; i < 100_000; i++) {
            wide.set("a" + i, typed("{\"N\":\"1\"}"));
        }
        assertNull(outcome(wide.toBytes()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hostileNumbersAreRejectedQuickly() {
        String zeros = "0".repeat(2_000_000);
        String base = ChangeJson.insert().key("id", 1).set("v", typed("{\"N\":\"@\"}")).toJson();
        for (String n : new String[]{"1e400", "123456789012345678901234567890123456789", "NaN", "Infinity",
                "1" + zeros, "0." + zeros + "1", "1" + zeros + "1", "1e" + "9".repeat(1_000_000)}) {
            String m = rejected(base.replace("@", n));
            assertTrue(m.contains("NewImage.v: "), m);
            assertTrue(m.contains("number"), m);
        }
        // Zeros are harmless however they are spelled.
        assertNull(outcome(base.replace("@", "0." + zeros).getBytes(StandardCharsets.UTF_8)));
        assertNull(outcome(base.replace("@", "0e99999999999999999999").getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ encoding

    @Test
    void invalidUtf8IsRejectedWithItsOffset() {
        byte[] valid = ChangeJson.insert().key("id", 1).set("v", "xx" + MARKER).toBytes();
        int at = new String(valid, StandardCharsets.UTF_8).indexOf("xx" + MARKER);
        int[][] sequences = {{0xC0, 0xAF}, {0xC1, 0x81}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
                {0xF0, 0x80, 0x80, 0xAF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5}, {0xFF}, {0x80}, {0xBF}, {0xC3, 0x28}};
        for (int[] seq : sequences) {
            byte[] data = valid.clone();
            for (int k = 0; k < seq.length; k++) {
                data[at + k] = (byte) seq[k];
            }
            assertEquals("record " + SEQ + ": invalid UTF-8 at byte " + at, rejected(data),
                    Arrays.toString(seq));
        }
        // In a name, and cut off at the very end.
        byte[] inName = ChangeJson.insert().key("id", 1).set("name\u00e9", 1).toBytes();
        int nameAt = new String(inName, StandardCharsets.UTF_8).indexOf("name\u00e9") + 4;
        inName[nameAt + 1] = 'x';   // é is C3 A9: break its continuation byte
        assertTrue(rejected(inName).contains("invalid UTF-8 at byte " + nameAt));
        byte[] cut = Arrays.copyOf(valid, valid.length + 1);
        cut[valid.length] = (byte) 0xE2;
        assertTrue(rejected(cut).contains("invalid UTF-8 at byte " + valid.length));
    }

    @Test
    void otherEncodingsAreRejected() {
        String json = SeedRecords.MODIFY_JSON;
        assertTrue(rejected(json.getBytes(StandardCharsets.UTF_16LE)).contains("not UTF-8 JSON"));
        assertTrue(rejected(json.getBytes(StandardCharsets.UTF_16BE)).contains("not UTF-8 JSON"));
        assertTrue(rejected(json.getBytes(StandardCharsets.UTF_16)).contains("invalid UTF-8 at byte 0"));   // BOM FE FF
        assertTrue(rejected(json.getBytes(java.nio.charset.Charset.forName("UTF-32"))).contains("not UTF-8 JSON"));
        assertTrue(rejected(new byte[]{0}).contains("not UTF-8 JSON"));
        // Latin-1 bytes are not UTF-8.
        byte[] latin1 = ChangeJson.insert().key("id", "caf\u00e9").toJson().getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(rejected(latin1).contains("invalid UTF-8"));
    }

    @Test
    void controlCharactersAndBadEscapesInStrings() {
        String base = ChangeJson.insert().key("id", 1).set("v", "@" + MARKER).toJson();
        for (String bad : new String[]{"\u0001", "\n", "\t", "\\x41", "\\u12", "\\", "\\uZZZZ"}) {
            String m = rejected(base.replace("@", bad));
            assertTrue(m.contains("NewImage.v: malformed JSON at byte ")
                    || m.contains("truncated JSON"), bad + " -> " + m);
        }
        // Escaped control characters are fine.
        assertNull(outcome(base.replace("@", "\\u0001\\n\\t\\\\").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomBytesAfterAValidPrefix() {
        Random rnd = new Random(7);
        byte[] valid = SeedRecords.MODIFY_JSON.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2_000; i++) {
            int cut = rnd.nextInt(valid.length);
            byte[] tail = new byte[rnd.nextInt(64)];
            rnd.nextBytes(tail);
            byte[] data = splice(Arrays.copyOf(valid, cut), cut, 0, tail);
            String m = outcome(data);
            // A few tails happen to complete the record; everything else is a clear rejection.
            if (m != null) {
                assertFalse(m.isBlank());
            }
        }
        assertThrows(InvalidRecordException.class, () -> decoder.decode(
                new IncomingRecord(SEQ, "", (SeedRecords.MODIFY_JSON + "\u0000").getBytes(StandardCharsets.UTF_8), 0)));
    }
}
