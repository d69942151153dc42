package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-decimal short path gives what the full parse gives, or leaves the text to it. */
class DynamoNumbersTest {

    /** Null from the short path, or the full parse's value with its scale. */
    private static BigDecimal checked(String text) {
        byte[] bytes = ("x" + text + "y").getBytes(StandardCharsets.UTF_8);   // read inside a larger array
        BigDecimal plain = DynamoNumbers.parsePlain(bytes, 1, bytes.length - 1);
        if (plain != null) {
            BigDecimal full = DynamoNumbers.parse(text, true);
            assertEquals(full, plain, text);   // BigDecimal.equals: value and scale
        }
        return plain;
    }

    @Test
    void plainDecimalsTakeTheShortPathWithTheFullParsesValueAndScale() {
        for (String text : new String[]{"1", "-1", "7.00", "0.5", "-0.001", "1.", ".5", "-.5", "007.50", "123456789012345678",
            "-123456789012345678", "0.000000000000000000000000000000000001", "12345678901234567.8"}) {
            assertNotNull(checked(text), text);
        }
    }

    @Test
    void everythingElseIsLeftToTheFullParse() {
        for (String text : new String[]{"", "-", ".", "-.", "0", "-0", "0.00", "+1", "1e5", "1E+5", "1.2.3", "1-", "--1",
            "1234567890123456789", "1000000000000000000", "0.0000000000000000000000000000000000000001", "1 ", "\u0661",
            "1234567890123456789012345678901234567890.5"}) {
            assertNull(checked(text), text);
        }
    }

    @Test
    void randomTextsOfDigitsSignsAndPointsAgreeWithTheFullParse() {
        SplittableRandom random = new SplittableRandom(17);
        char[] alphabet = "0000111222333456789.-".toCharArray();
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            int length = 1 + random.nextInt(24);
            StringBuilder sb = new StringBuilder(length);
            for (int k = 0; k < length; k++) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = sb.toString();
            BigDecimal plain;
            try {
                plain = checked(text);
            } catch (DecodeFailure refused) {
                // the full parse refused a text the short path read: checked() only parses what it read
                throw new AssertionError("short path read a text the full parse refuses: " + text, refused);
            }
            if (plain != null) {
                taken.add(text);
            }
        }
        // The alphabet makes many plain decimals: the comparison above is not vacuous.
        assertTrue(taken.size() > 50_000, "plain texts: " + taken.size());
    }
}
