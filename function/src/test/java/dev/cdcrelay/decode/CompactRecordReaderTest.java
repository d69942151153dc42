package dev.cdcrelay.decode;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomRecords;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The compact reader may only ever agree with the jackson reader: every record it accepts, jackson
 * and {@link EnvelopeReader} accept too, with an equal record (values, scales, attribute order);
 * whatever it refuses goes to them. Checked on generated records and on thousands of mutations of
 * them (bytes deleted, doubled, swapped; whitespace, escapes, duplicates, truncation).
 */
class CompactRecordReaderTest {

    private static final byte[][] INSERTS = {
        " ".getBytes(StandardCharsets.US_ASCII), "\\".getBytes(StandardCharsets.US_ASCII),
        "\\u0041".getBytes(StandardCharsets.US_ASCII), "\"".getBytes(StandardCharsets.US_ASCII),
        ",".getBytes(StandardCharsets.US_ASCII), "{".getBytes(StandardCharsets.US_ASCII),
        "}".getBytes(StandardCharsets.US_ASCII), "]".getBytes(StandardCharsets.US_ASCII),
        "0".getBytes(StandardCharsets.US_ASCII), "-".getBytes(StandardCharsets.US_ASCII),
        "\t".getBytes(StandardCharsets.US_ASCII), new byte[]{1}, "e".getBytes(StandardCharsets.US_ASCII),
        ".".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII),
        "\"x\":1,".getBytes(StandardCharsets.US_ASCII), "\u00e9".getBytes(StandardCharsets.UTF_8),
    };

    @Test
    void acceptsOnlyWhatTheJacksonReaderAcceptsAndReadsItTheSame() {
        Random rnd = new Random(7);
        KinesisRecords seq = new KinesisRecords(1);
        int accepted = 0;
        int checked = 0;
        for (int n = 0; n < 1500; n++) {
            IncomingRecord r = RandomRecords.record(rnd, seq, n % 13 == 0);
            accepted += agree(r.data(), r.sequenceNumber()) ? 1 : 0;
            checked++;
            for (int m = 0; m < 8; m++) {
                agree(mutate(r.data(), rnd), r.sequenceNumber());
                checked++;
            }
        }
        // Many generated records carry escapes (quotes, control chars in names and texts): those go to jackson.
        assertTrue(accepted > 300, "the compact reader took only " + accepted + " of 1,500 generated records");
        assertTrue(checked > 10_000);
    }

    @Test
    void theEnvelopeVariantsAgree() {
        KinesisRecords seq = new KinesisRecords(1);
        ChangeJson[] variants = {
            ChangeJson.insert().key("id", "a").set("n", 1),
            ChangeJson.remove().key("id", "a").ttl(),
            ChangeJson.remove().key("id", "a").userIdentityJson("{\"type\":\"Service\",\"principalId\":\"x\"}"),
            ChangeJson.remove().key("id", "a").userIdentityJson("{\"type\":null,\"other\":\"y\"}"),
            ChangeJson.remove().key("id", "a").userIdentityJson("{\"type\":\"Service\",\"type\":\"Service\"}"),
            ChangeJson.insert().key("id", "a").set("n", 1).millis(1720742302233L),
            ChangeJson.insert().key("id", "a").set("n", 1).time(5, null),
            ChangeJson.insert().key("id", "a").set("n", 1).time(5, "SECOND"),
            ChangeJson.insert().key("id", "a").set("n", 1).sizeBytes(17),
            ChangeJson.insert().key("id", "a").set("n", 1).extraField("eventVersion", "\"1.1\""),
            ChangeJson.insert().key("id", "a").set("n", 1).extraField("future", "{\"a\":[1,2]}"),
            ChangeJson.insert().key("id", "a").set("n", 1).extraField("future", "-1.5e3"),
            ChangeJson.insert().key("id", "a").set("n", 1).extraField("future", "true"),
            ChangeJson.insert().key("id", "a").set("n", 1).extraField("eventName", "\"INSERT\""),
            ChangeJson.insert().key("id", "a").set("n", 1).extraDynamodbField("StreamViewType", "\"NEW_IMAGE\""),
            ChangeJson.insert().key("id", "a").set("n", 1).extraDynamodbField("Keys", "{}"),
            ChangeJson.insert().key("id", "a").set("n", 1).eventId(null).tableName(null).awsRegion(null),
            ChangeJson.modify().key("id", 5).set("n", 1).old("n", 0),
            ChangeJson.insert().key("id", "a").key("sort", new byte[]{1, 2}).set("b", new byte[0]),
            ChangeJson.insert().key("id", "a").newImageJson("{}"),
            ChangeJson.insert().key("id", "a").newImageJson("{\"m\":{\"M\":{}},\"l\":{\"L\":[]}}"),
            ChangeJson.insert().key("id", "a").withoutNewImage(),
            ChangeJson.withEventName("UPSERT").key("id", "a").set("n", 1),
            ChangeJson.insert().keysJson("{\"id\":{\"BOOL\":true}}").set("n", 1),
            ChangeJson.insert().keysJson("{}").set("n", 1),
        };
        for (ChangeJson c : variants) {
            IncomingRecord r = seq.next(c);
            agree(r.data(), r.sequenceNumber());
        }
    }

    @Test
    void deepNestingAgreesUpToAndBeyondDynamoDbsLimit() {
        KinesisRecords seq = new KinesisRecords(1);
        for (int levels = 30; levels <= 34; levels++) {
            String value = "{\"S\":\"x\"}";
            for (int k = 0; k < levels; k++) {
                value = k % 2 == 0 ? "{\"M\":{\"a\":" + value + "}}" : "{\"L\":[" + value + "]}";
            }
            IncomingRecord r = seq.next(ChangeJson.insert().key("id", "a").newImageJson("{\"deep\":" + value + "}"));
            agree(r.data(), r.sequenceNumber());
        }
    }

    /**
     * Short S and N values come from per-thread tables, maps and lists from builders reused level
     * by level: texts that differ only in their last byte or their length, numbers that differ only
     * in scale, each seen many times, and records given up halfway between the whole ones.
     */
    @Test
    void valuesSeenBeforeReadAsThemselvesAlsoAfterARecordGivenUpHalfway() {
        String[] texts = {"", "a", "ab", "abcdefg", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefghijklmno",
            "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "é", "éé", "1"};
        String[] numbers = {"1", "1.0", "1.00", "-1", "10", "0.5", "1E2", "1234567890123456", "12345678901234567"};
        KinesisRecords seq = new KinesisRecords(1);
        Random rnd = new Random(11);
        int accepted = 0;
        for (int n = 0; n < 600; n++) {
            String t = texts[rnd.nextInt(texts.length)];
            String u = texts[rnd.nextInt(texts.length)];
            String x = numbers[rnd.nextInt(numbers.length)];
            String y = numbers[rnd.nextInt(numbers.length)];
            String image = "{\"s\":{\"S\":\"" + t + "\"},\"n\":{\"N\":\"" + x + "\"},"
                    + "\"l\":{\"L\":[{\"S\":\"" + u + "\"},{\"N\":\"" + y + "\"},{\"M\":{\"t\":{\"S\":\"" + t
                    + "\"},\"l\":{\"L\":[{\"N\":\"" + x + "\"}]}}}]},"
                    + "\"ss\":{\"SS\":[\"" + t + "\",\"" + u + "\"]},\"ns\":{\"NS\":[\"" + x + "\",\"" + y + "\"]}}";
            IncomingRecord r = seq.next(ChangeJson.insert().key("id", "k" + t).newImageJson(image));
            accepted += agree(r.data(), r.sequenceNumber()) ? 1 : 0;
            agree(Arrays.copyOf(r.data(), r.data().length / 2 + rnd.nextInt(r.data().length / 2)), r.sequenceNumber());
        }
        assertTrue(accepted > 300, "the compact reader took only " + accepted + " of 600 records");
    }

    /**
     * An OldImage is only checked, its texts, maps and lists not built: it must still be refused
     * for everything the jackson reader refuses in it. Random images (a third of them malformed),
     * and mutations made inside the OldImage only.
     */
    @Test
    void anOldImageIsCheckedByTheSameRulesThoughNothingOfItIsBuilt() {
        Random rnd = new Random(23);
        KinesisRecords seq = new KinesisRecords(1);
        int accepted = 0;
        int invalid = 0;
        for (int n = 0; n < 1500; n++) {
            String oldImage = RandomRecords.item(rnd, 0, rnd.nextInt(3) == 0);
            ChangeJson change = n % 2 == 0
                    ? ChangeJson.modify().key("id", "m" + n).set("n", n).oldImageJson(oldImage)
                    : ChangeJson.remove().key("id", "r" + n).oldImageJson(oldImage);
            IncomingRecord r = seq.next(change);
            accepted += agree(r.data(), r.sequenceNumber()) ? 1 : 0;
            invalid += isInvalid(r) ? 1 : 0;
            byte[] image = oldImage.getBytes(StandardCharsets.UTF_8);
            int from = indexOf(r.data(), image);
            assertTrue(from > 0, "the record carries its OldImage as given");
            for (int m = 0; m < 6; m++) {
                agree(mutate(r.data(), from, from + image.length, rnd), r.sequenceNumber());
            }
        }
        // Many random images carry escapes (quotes, control chars in names and texts): those go to jackson.
        assertTrue(accepted > 200, "the compact reader took only " + accepted + " of 1,500 records");
        assertTrue(invalid > 100, "only " + invalid + " of 1,500 records are invalid: too few malformed old images");
    }

    private static boolean isInvalid(IncomingRecord r) {
        try {
            ChangeDecoder.readWithJackson(r.data(), r.sequenceNumber());
            return false;
        } catch (InvalidRecordException e) {
            return true;
        }
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A NewImage says its texts are plain only when every name and text in it is Latin-1 and holds
     * nothing JSON escapes (the planner then copies them unchecked); ASCII records in the compact
     * shape always say so, every other record never.
     */
    @Test
    void aNewImageSaysItsTextsArePlainOnlyWhenEveryTextIs() throws InvalidRecordException {
        Random rnd = new Random(29);
        KinesisRecords seq = new KinesisRecords(1);
        ChangeDecoder decoder = new ChangeDecoder();
        int plain = 0;
        int notPlain = 0;
        for (int n = 0; n < 3000; n++) {
            IncomingRecord r = RandomRecords.record(rnd, seq, n % 13 == 0);
            ChangeRecord change;
            try {
                change = decoder.decode(r);
            } catch (InvalidRecordException e) {
                continue;
            }
            if (change.newImage() == null) {
                continue;
            }
            boolean says = AttributeMap.of(change.newImage()).textsArePlain();
            boolean ascii = Utf8.scan(r.data()) == Utf8.ASCII;
            boolean compact = CompactRecordReader.read(r.data(), r.sequenceNumber(), ascii).isPresent();
            assertEquals(ascii && compact, says, () -> new String(r.data(), StandardCharsets.UTF_8));
            if (says) {
                plain++;
                assertTrue(everyTextIsPlain(change.newImage()), () -> new String(r.data(), StandardCharsets.UTF_8));
            } else {
                notPlain++;
            }
        }
        assertTrue(plain > 150 && notPlain > 300, plain + " plain, " + notPlain + " not");
    }

    private static boolean everyTextIsPlain(Map<String, DynamoValue> map) {
        for (Map.Entry<String, DynamoValue> e : map.entrySet()) {
            if (!isPlain(e.getKey()) || !everyTextIsPlain(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyTextIsPlain(DynamoValue v) {
        if (v instanceof DynamoValue.Str s) {
            return isPlain(s.value());
        } else if (v instanceof DynamoValue.Bin b) {
            return isPlain(b.base64());
        } else if (v instanceof DynamoValue.StrSet ss) {
            return ss.values().stream().allMatch(CompactRecordReaderTest::isPlain);
        } else if (v instanceof DynamoValue.BinSet bs) {
            return bs.values().stream().allMatch(CompactRecordReaderTest::isPlain);
        } else if (v instanceof DynamoValue.MapValue m) {
            return everyTextIsPlain(m.entries());
        } else if (v instanceof DynamoValue.ListValue l) {
            return l.elements().stream().allMatch(CompactRecordReaderTest::everyTextIsPlain);
        }
        return true;
    }

    private static boolean isPlain(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c <= 0xFF && c != '"' && c != '\\');
    }

    @Test
    void theFirstFlaggedByteIsFoundForEveryPatternOfFlags() {
        for (int pattern = 1; pattern < 256; pattern++) {
            long flags = 0;
            for (int k = 0; k < 8; k++) {
                if ((pattern & (1 << k)) != 0) {
                    flags |= 0x80L << (8 * k);
                }
            }
            assertEquals(Long.numberOfTrailingZeros(flags) >>> 3, CompactRecordReader.firstFlagged(flags),
                    Long.toHexString(flags));
        }
    }

    /** Returns whether the compact reader accepted; fails when it disagrees with jackson's. */
    private static boolean agree(byte[] data, String seq) {
        IncomingRecord record = new IncomingRecord(seq, "p", data, 0);
        try {
            PayloadCheck.check(record, ChangeDecoder.MAX_RECORD_BYTES);
        } catch (InvalidRecordException e) {
            return false; // never reaches either reader
        }
        Optional<ChangeRecord> compact = CompactRecordReader.read(data, seq, Utf8.scan(data) == Utf8.ASCII);
        if (compact.isEmpty()) {
            return false;
        }
        ChangeRecord expected;
        try {
            expected = ChangeDecoder.readWithJackson(data, seq);
        } catch (InvalidRecordException e) {
            fail("the compact reader accepted what jackson's reader refuses (" + e.getMessage() + "): "
                    + new String(data, StandardCharsets.UTF_8));
            return false;
        }
        ChangeRecord actual = compact.get();
        String input = new String(data, StandardCharsets.UTF_8);
        assertEquals(expected, actual, input);
        assertEquals(String.valueOf(expected.newImage()), String.valueOf(actual.newImage()), "order and scales: " + input);
        assertEquals(expected.keys().toString(), actual.keys().toString(), input);
        return true;
    }

    private static byte[] mutate(byte[] data, Random rnd) {
        return mutate(data, 0, data.length, rnd);
    }

    /** A mutation at a byte (or of two bytes) in {@code data[from, to)}. */
    private static byte[] mutate(byte[] data, int from, int to, Random rnd) {
        int at = from + rnd.nextInt(to - from);
        return switch (rnd.nextInt(6)) {
            case 0 -> concat(Arrays.copyOf(data, at), Arrays.copyOfRange(data, Math.min(data.length, at + 1), data.length));
            case 1 -> concat(Arrays.copyOf(data, at), concat(INSERTS[rnd.nextInt(INSERTS.length)],
                    Arrays.copyOfRange(data, at, data.length)));
            case 2 -> Arrays.copyOf(data, at);
            case 3 -> concat(Arrays.copyOf(data, at + 1), Arrays.copyOfRange(data, at, data.length));
            case 4 -> {
                byte[] copy = data.clone();
                int other = from + rnd.nextInt(to - from);
                byte t = copy[at];
                copy[at] = copy[other];
                copy[other] = t;
                yield copy;
            }
            default -> concat(data, INSERTS[rnd.nextInt(INSERTS.length)]);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
