package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Decode and plan must not change a byte when they are made faster: a fixed corpus of generated
 * records (every DynamoDB type, nested maps and lists, tricky numbers, names CrateDB refuses, long
 * and multi-byte texts, type drift across a batch, malformed records) is decoded and planned in
 * every mode, and each record's outcome (pk, data, aux, version and counts, or the failure
 * message) is compared with the outcome the code had before (its SHA-256, in
 * {@code decode-plan-golden.txt}). A difference prints the record's whole outcome.
 *
 * <p>To regenerate after an intended change of output:
 * {@code -Dgolden.write=<absolute path of>/function/src/test/resources/dev/cdcrelay/plan/decode-plan-golden.txt};
 * {@code -Dgolden.dump=<file>} writes the outcomes themselves, to compare two versions in full.
 */
class DecodePlanGoldenTest {

    private static final String GOLDEN = "decode-plan-golden.txt";
    private static final int RECORDS = 3000;
    private static final int BATCH = 50;

    private static final String[] NAMES = {
        "a", "b", "id2", "name", "price", "qty", "tags", "geo", "lines", "notes", "x", "Ünïcode",
        "with space", "dot.ted", "br[0]", "it's", "tab\tname", "nbsp\u00a0name", "em\u2003space", "ctl\u0001",
        "del\u007f", "quote\"d", "back\\slash", "\uD83D\uDE00emoji", "long" + "n".repeat(260), "LINES",
    };
    private static final String[] NUMBERS = {
        "0", "-0", "0.000", "0E+5", "1", "-1", "7", "1.5", "-2.25", "3.14159", "1E+2", "1e2", "1.0", "100",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678",
        "9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130", "1E+125", "123.456E-7",
        "0.1", "0.2", "0.30000000000000004", "1.7976931348623157E+308".substring(0, 10), "4.9E-12",
        "-8884984215476515800", "8884984215476515800", "2E+23", "1.00000000000000000001",
        "000123.4500", "+5", "1.", ".5", "52.123456", "13.654321", "99999999999999999", "1234567890123456",
        "123456789012345678", "0.000001", "1E+20", "1E+21", "123E-2", "5E-324",
    };
    private static final String[] BAD_NUMBERS = {
        "", "abc", "1..2", "1e", "--1", "1E+126", "1E-131", "123456789012345678901234567890123456789", " 1", "0x10",
    };

    @Test
    void everyOutcomeIsTheOneRecordedBeforeTheChange() throws Exception {
        List<String> actual = outcomes();
        String write = System.getProperty("golden.write");
        if (write != null) {
            List<String> lines = new ArrayList<>();
            for (String o : actual) {
                lines.add(sha256(o));
            }
            Files.write(Path.of(write), lines, StandardCharsets.UTF_8);
        }
        String dump = System.getProperty("golden.dump");
        if (dump != null) {
            Files.write(Path.of(dump), actual, StandardCharsets.UTF_8);
        }
        List<String> expected = golden();
        assertEquals(expected.size(), actual.size(), "number of outcomes");
        for (int i = 0; i < actual.size(); i++) {
            String o = actual.get(i);
            assertEquals(expected.get(i), sha256(o), "outcome " + i + " changed; it is now:\n" + o);
        }
    }

    /** Every record of the corpus, in every mode, as text. */
    private static List<String> outcomes() {
        Random rnd = new Random(20261202);
        KinesisRecords seq = new KinesisRecords(1);
        ChangeDecoder decoder = new ChangeDecoder();
        KeySchema keys = KeySchema.parse("id:S", "T");
        KeySchema numericKeys = KeySchema.parse("id:N:TEXT", "T");
        RowPlanner safe = new RowPlanner(keys, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);
        RowPlanner declared = new RowPlanner(keys, DeclaredTypes.parse("qty:BIGINT,name:TEXT,price:DOUBLE,x:BOOLEAN", "T"),
                RowPlanner.Mode.CRATEDB_SAFE);
        RowPlanner exact = new RowPlanner(keys, DeclaredTypes.NONE, RowPlanner.Mode.EXACT_JSON);
        RowPlanner numeric = new RowPlanner(numericKeys, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);
        List<String> out = new ArrayList<>();
        ColumnKinds kinds = new ColumnKinds();
        ColumnKinds declaredKinds = new ColumnKinds();
        for (int i = 0; i < RECORDS; i++) {
            if (i % BATCH == 0) {
                kinds = new ColumnKinds();
                declaredKinds = new ColumnKinds();
                if (i % (2 * BATCH) == 0) {
                    // What a table already holds: kinds read back from the sink.
                    kinds.put("qty", ColumnKinds.INTEGRAL);
                    kinds.put("price", ColumnKinds.TEXT);
                    kinds.put("geo" + ColumnKinds.SEP + "lat", ColumnKinds.INTEGRAL);
                    kinds.put("tags", new ColumnKind.ArrayOf(ColumnKinds.INTEGRAL));
                    kinds.put("lines", ColumnKinds.OTHER);
                }
            }
            boolean numericKey = i % 17 == 0;
            IncomingRecord r = record(rnd, seq, i, numericKey);
            StringBuilder o = new StringBuilder("#").append(i).append('\n');
            ChangeRecord c;
            try {
                c = decoder.decode(r);
            } catch (InvalidRecordException e) {
                out.add(o.append("FAIL ").append(e.getMessage()).toString());
                continue;
            }
            o.append(c.itemKey().canonical()).append(' ').append(c.eventName()).append(' ').append(c.expiredByTtl())
                    .append('\n');
            if (numericKey) {
                describe(o.append("numeric "), () -> numeric.plan(c, new ColumnKinds()));
            } else {
                ColumnKinds batchKinds = kinds;
                ColumnKinds batchDeclaredKinds = declaredKinds;
                describe(o.append("safe "), () -> safe.plan(c, batchKinds));
                describe(o.append("declared "), () -> declared.plan(c, batchDeclaredKinds));
                describe(o.append("exact "), () -> exact.plan(c, new ColumnKinds()));
                describe(o.append("aux "), () -> safe.planAllInAux(c));
            }
            out.add(o.toString());
        }
        return out;
    }

    private static void describe(StringBuilder o, Supplier<PlannedRow> planning) {
        try {
            PlannedRow row = planning.get();
            o.append(row.keyValues()).append(' ').append(row.version()).append('\n');
            if (row instanceof PlannedRow.Upsert u) {
                o.append(u.pkJson()).append('\n').append(u.dataJson()).append('\n').append(u.auxJson()).append('\n')
                        .append(u.divertedAttributes()).append(' ').append(u.inexactNumbers()).append('\n');
            } else {
                o.append("delete\n");
            }
        } catch (RuntimeException e) {
            o.append("FAIL ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage()).append('\n');
        }
    }

    private static IncomingRecord record(Random rnd, KinesisRecords seq, int i, boolean numericKey) {
        int shape = rnd.nextInt(40);
        ChangeJson c = switch (shape % 3) {
            case 0 -> ChangeJson.insert();
            case 1 -> ChangeJson.modify();
            default -> shape < 6 ? ChangeJson.remove() : ChangeJson.modify().withoutOldImage();
        };
        if (shape == 2) {
            c.ttl();
        }
        c.micros(ChangeJson.DEFAULT_MICROS + rnd.nextInt(1000) * 1000L);
        if (numericKey) {
            c.keysJson("{\"id\":{\"N\":\"" + NUMBERS[rnd.nextInt(NUMBERS.length)] + "\"}}");
        } else {
            c.keysJson("{\"id\":{\"S\":\"item-" + rnd.nextInt(200) + "\"}}");
        }
        if (shape < 6 && shape % 3 == 2) {
            return seq.next(c);
        }
        boolean malformed = rnd.nextInt(25) == 0;
        c.newImageJson(item(rnd, 0, malformed));
        if (rnd.nextInt(4) == 0 && shape % 3 == 1) {
            c.oldImageJson(item(rnd, 0, rnd.nextInt(10) == 0));
        }
        return seq.next(c);
    }

    /** A DynamoDB-JSON object of attributes. */
    private static String item(Random rnd, int depth, boolean malformed) {
        StringBuilder sb = new StringBuilder("{");
        int n = 1 + rnd.nextInt(depth == 0 ? 12 : 5);
        List<String> used = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String name = NAMES[rnd.nextInt(NAMES.length)];
            if (used.contains(name) && !(malformed && rnd.nextInt(3) == 0)) {
                continue;
            }
            used.add(name);
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(name)).append(':').append(value(rnd, depth, malformed));
        }
        return sb.append('}').toString();
    }

    private static String value(Random rnd, int depth, boolean malformed) {
        if (malformed && rnd.nextInt(6) == 0) {
            return switch (rnd.nextInt(6)) {
                case 0 -> "{\"N\":\"" + BAD_NUMBERS[rnd.nextInt(BAD_NUMBERS.length)] + "\"}";
                case 1 -> "{\"B\":\"abc\"}";
                case 2 -> "{\"SS\":[]}";
                case 3 -> "{\"S\":\"a\",\"N\":\"1\"}";
                case 4 -> "{\"NULL\":false}";
                default -> "{\"X\":1}";
            };
        }
        int type = rnd.nextInt(depth >= 4 ? 7 : 10);
        return switch (type) {
            case 0 -> "{\"S\":" + quote(text(rnd)) + "}";
            case 1, 2 -> "{\"N\":\"" + number(rnd) + "\"}";
            case 3 -> "{\"B\":\"" + binary(rnd) + "\"}";
            case 4 -> "{\"BOOL\":" + rnd.nextBoolean() + "}";
            case 5 -> "{\"NULL\":true}";
            case 6 -> set(rnd);
            case 7 -> "{\"M\":" + item(rnd, depth + 1, malformed) + "}";
            default -> "{\"L\":" + list(rnd, depth, malformed) + "}";
        };
    }

    private static String list(Random rnd, int depth, boolean malformed) {
        StringBuilder sb = new StringBuilder("[");
        int n = rnd.nextInt(6);
        boolean uniform = rnd.nextBoolean();
        int mapOrNumber = rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                sb.append(',');
            }
            if (uniform && mapOrNumber == 0) {
                sb.append("{\"M\":").append(item(rnd, depth + 1, malformed)).append('}');
            } else if (uniform && mapOrNumber == 1) {
                sb.append("{\"N\":\"").append(number(rnd)).append("\"}");
            } else if (uniform) {
                sb.append("{\"S\":").append(quote(text(rnd))).append('}');
            } else {
                sb.append(value(rnd, depth + 1, malformed));
            }
        }
        return sb.append(']').toString();
    }

    private static String set(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        int kind = rnd.nextInt(3);
        StringBuilder sb = new StringBuilder(kind == 0 ? "{\"SS\":[" : kind == 1 ? "{\"NS\":[" : "{\"BS\":[");
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(kind == 0 ? quote(text(rnd)) : kind == 1 ? "\"" + number(rnd) + "\"" : "\"" + binary(rnd) + "\"");
        }
        return sb.append("]}").toString();
    }

    private static String number(Random rnd) {
        if (rnd.nextInt(3) == 0) {
            return NUMBERS[rnd.nextInt(NUMBERS.length)];
        }
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(4) == 0) {
            sb.append('-');
        }
        int digits = 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 38 : 9);
        for (int k = 0; k < digits; k++) {
            sb.append((char) ('0' + (k == 0 ? 1 + rnd.nextInt(9) : rnd.nextInt(10))));
        }
        if (rnd.nextBoolean() && digits > 1) {
            sb.insert(sb.length() - 1 - rnd.nextInt(digits - 1), '.');
        }
        if (rnd.nextInt(6) == 0) {
            sb.append('E').append(rnd.nextInt(40) - 20);
        }
        return sb.toString();
    }

    private static String text(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> "";
            case 1 -> "plain text " + rnd.nextInt(1000);
            case 2 -> "quote \" back \\ slash / tab \t nl \n cr \r ctl \u0001 del \u007f";
            case 3 -> "Grüße, 東京, \uD83D\uDE00, \u2028 \u2029";
            case 4 -> "€".repeat(10_900 + rnd.nextInt(20));           // around CrateDB's 32,766-byte limit
            case 5 -> "x".repeat(32_760 + rnd.nextInt(12));
            default -> "value-" + rnd.nextInt(100_000);
        };
    }

    private static String binary(Random rnd) {
        byte[] b = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 25_000 : 40)];
        rnd.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private static List<String> golden() throws IOException {
        try (InputStream in = DecodePlanGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing from the test resources");
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
