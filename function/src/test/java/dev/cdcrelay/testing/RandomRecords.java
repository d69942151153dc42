package dev.cdcrelay.testing;

import dev.cdcrelay.kinesis.IncomingRecord;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Change records with generated items: every DynamoDB type, nested maps and lists, tricky numbers,
 * names CrateDB refuses, long and multi-byte texts; now and then a malformed one (bad number,
 * duplicate name, empty set, two type keys, ...). Deterministic for a given {@link Random}: the
 * golden outcomes of decode and plan depend on the exact sequence, so change nothing here
 * without regenerating them.
 *
 * <pre>IncomingRecord r = RandomRecords.record(new Random(1), new KinesisRecords(1), false);</pre>
 */
public final class RandomRecords {

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

    private RandomRecords() {
    }

    /** One record; {@code numericKey}: its key {@code id} is an N instead of an S. */
    public static IncomingRecord record(Random rnd, KinesisRecords seq, boolean numericKey) {
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
    public static String item(Random rnd, int depth, boolean malformed) {
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
}
