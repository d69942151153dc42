package dev.cdcrelay.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Changes of all-ASCII items whose attributes repeat their names and mostly their types, so that
 * a writer's columns reach a steady state, with every DynamoDB type, nested maps and lists, lists
 * of mixed kinds, tricky numbers, texts at CrateDB's index limit and names CrateDB refuses. For
 * comparing two ways of reading one image (unlike {@link RandomRecords}, no golden outcome
 * depends on the exact sequence).
 *
 * <pre>IncomingRecord r = new KinesisRecords(1).next(RandomImages.change(new Random(1)));</pre>
 */
public final class RandomImages {

    /** ASCII names (the bytes are written only for all-ASCII records), a few that CrateDB refuses. */
    public static final String[] NAMES = {"a", "b", "name", "price", "qty", "tags", "geo", "lines", "notes", "x",
        "with space", "dot.ted", "br[0]", "it's", "del\u007f"};
    private static final String[] NUMBERS = {"0", "-0", "0.000", "0E+5", "1", "-1", "7", "1.5", "-2.25", "1E+2",
        "1.0", "100", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "12345678901234567890123456789012345678", "0.30000000000000004", "2E+23", "1.00000000000000000001",
        "000123.4500", "+5", "1.", ".5", "52.123456", "99999999999999999", "1234567890123456", "0.000001", "1E+21",
        "123E-2", "4.9E-12"};

    private RandomImages() {
    }

    /** An INSERT of a few attributes, or now and then a REMOVE; item ids from a pool of 50. */
    public static ChangeJson change(Random rnd) {
        ChangeJson c = rnd.nextInt(10) == 0 ? ChangeJson.remove() : ChangeJson.insert();
        c.key("id", "item-" + rnd.nextInt(50));
        if (c.eventName().equals("REMOVE")) {
            return c;
        }
        int count = 1 + rnd.nextInt(6);
        for (int i = 0; i < count; i++) {
            c.set(NAMES[rnd.nextInt(NAMES.length)], value(rnd, 0));
        }
        return c;
    }

    /** Any type, mostly short values that repeat, so that columns reach their steady state. */
    private static Object value(Random rnd, int depth) {
        return value(rnd, depth, rnd.nextInt(depth > 2 ? 10 : 12));
    }

    private static Object value(Random rnd, int depth, int type) {
        return switch (type) {
            case 0, 1 -> rnd.nextInt(300) == 0 ? "L".repeat(32_767) : rnd.nextInt(9) == 0 ? "with / and \u007f" : "t" + rnd.nextInt(5);
            case 2, 3 -> DynamoJson.n(NUMBERS[rnd.nextInt(rnd.nextBoolean() ? 10 : NUMBERS.length)]);
            case 4 -> rnd.nextBoolean();
            case 5 -> null;
            case 6 -> DynamoJson.stringSet("s" + rnd.nextInt(3), "z");
            case 7 -> DynamoJson.numberSet(rnd.nextInt(9), NUMBERS[4 + rnd.nextInt(NUMBERS.length - 4)]);
            case 8 -> rnd.nextInt(4) == 0 ? DynamoJson.binarySet(new byte[]{1, 2}) : new byte[]{(byte) rnd.nextInt(256)};
            case 9 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    m.put(NAMES[rnd.nextInt(NAMES.length)], value(rnd, depth + 1));
                }
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                int n = rnd.nextInt(4);
                int elements = rnd.nextInt(depth > 1 ? 10 : 12);   // one type for the list, mostly
                for (int i = 0; i < n; i++) {
                    l.add(rnd.nextInt(8) == 0 ? null : rnd.nextInt(10) == 0 ? value(rnd, depth + 1)
                            : value(rnd, depth + 1, elements));
                }
                yield l;
            }
        };
    }
}
