package dev.cdcrelay.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules behind the decoder: DynamoDB numbers, base64 text, strict UTF-8. */
class DecodeRulesTest {

    // ------------------------------------------------------------------ numbers

    private static String numberProblem(String text) {
        return assertThrows(DecodeFailure.class, () -> DynamoNumbers.parse(text, true), text).reason();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "+1", "42.42", "1E+125", "1e125", "1E-130", "-1E-130",
            "9.9999999999999999999999999999999999999E+125", "0.1E-129", "10E+124", "0.0000000001E-120",
            "12345678901234567890123456789012345678", "1234567890123456789012345678901234567.8",
            "0.00000000000000000000000000000000000000000000000000000000000000001",
            "100000000000000000000000000000000000000000000000000000000000000000000000",
            "1.000000000000000000000000000000000000000000000000000000", "0e-99999", "0E+99999", "-0.0",
            "123456789012345678", "1234567890123456789", "-9223372036854775808", "9223372036854775807"})
    void acceptedLikeBigDecimal(String text) {
        BigDecimal expected = new BigDecimal(text);
        BigDecimal actual = DynamoNumbers.parse(text, true);
        assertEquals(expected, actual, text);   // equals: same value AND same scale
        assertNull(DynamoNumbers.parse(text, false));
    }

    @Test
    void rangeAndDigitLimits() {
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1e400"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1E+126"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("10E+125"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1E-131"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("0.1E-130"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("-1e400"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1e99999999999999999999999999"));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1e-99999999999999999999999999"));
        assertEquals(DynamoNumbers.TOO_MANY_DIGITS, numberProblem("123456789012345678901234567890123456789"));
        assertEquals(DynamoNumbers.TOO_MANY_DIGITS, numberProblem("1.00000000000000000000000000000000000001"));
        assertEquals(DynamoNumbers.TOO_MANY_DIGITS, numberProblem("9.99999999999999999999999999999999999999E+125"));
        assertEquals(DynamoNumbers.EMPTY, numberProblem(""));
        for (String s : new String[]{"NaN", "nan", "Infinity", "-Infinity", "inf", " 1", "1 ", "1_000", "0x1F",
                "1e", "1e+", "1e-", "e1", ".", "-.", "+-1", "--1", "1..2", "1.2.3", "1e1.5", "1e1e1", "\u0661\u0662",
                "１", "1d", "1f", "1L", "\u00001"}) {
            assertEquals(DynamoNumbers.NOT_A_NUMBER, numberProblem(s), s);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void paddedSpellingsAreFastAndExact() {
        // A million zeros must not cost quadratic time (BigDecimal would parse every digit).
        String zeros = "0".repeat(1_000_000);
        assertEquals(0, new BigDecimal("1E-5").compareTo(DynamoNumbers.parse("0." + "0".repeat(4) + "1" + zeros, true)));
        assertEquals(0, new BigDecimal("12.5").compareTo(DynamoNumbers.parse(zeros + "12.5" + zeros, true)));
        assertEquals(0, BigDecimal.ZERO.compareTo(DynamoNumbers.parse("-" + zeros + "." + zeros, true)));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("1" + zeros));
        assertEquals(DynamoNumbers.OUT_OF_RANGE, numberProblem("0." + zeros + "1"));
        assertEquals(DynamoNumbers.TOO_MANY_DIGITS, numberProblem("1" + zeros + "1"));
        assertEquals(DynamoNumbers.NOT_A_NUMBER, numberProblem("1e" + "9".repeat(1_000_000) + "x"));
        // Value compensated by the exponent: 1 followed by 1000 zeros, times 1E-1000.
        assertEquals(0, BigDecimal.ONE.compareTo(DynamoNumbers.parse("1" + "0".repeat(1000) + "e-1000", true)));
    }

    @Test
    void zeroWithAnyExponentIsZero() {
        assertEquals(0, BigDecimal.ZERO.compareTo(DynamoNumbers.parse("0e999999999999999999", true)));
        assertEquals(0, BigDecimal.ZERO.compareTo(DynamoNumbers.parse("0e-999999999999999999", true)));
    }

    @Test
    void randomNumbersAgreeWithBigDecimal() {
        Random rnd = new Random(38);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                sb.append(rnd.nextBoolean() ? '-' : '+');
            }
            int intDigits = rnd.nextInt(25);
            for (int k = 0; k < intDigits; k++) {
                sb.append((char) ('0' + rnd.nextInt(10)));
            }
            if (rnd.nextBoolean()) {
                sb.append('.');
                int frac = rnd.nextInt(25);
                for (int k = 0; k < frac; k++) {
                    sb.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            if (rnd.nextInt(3) == 0) {
                sb.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(3) == 0 ? "-" : rnd.nextBoolean() ? "+" : "")
                        .append(rnd.nextInt(300));
            }
            String text = sb.toString();
            if (text.isEmpty()) {
                continue;
            }
            BigDecimal reference;
            try {
                reference = new BigDecimal(text);
            } catch (NumberFormatException e) {
                assertEquals(DynamoNumbers.NOT_A_NUMBER, numberProblem(text), text);
                continue;
            }
            boolean valid = reference.signum() == 0
                    || (reference.stripTrailingZeros().precision() <= 38
                    && reference.abs().compareTo(new BigDecimal("1E-130")) >= 0
                    && reference.abs().compareTo(new BigDecimal("9.9999999999999999999999999999999999999E+125")) <= 0);
            if (valid) {
                assertEquals(reference, DynamoNumbers.parse(text, true), text);
            } else {
                String problem = numberProblem(text);
                assertTrue(problem.equals(DynamoNumbers.OUT_OF_RANGE) || problem.equals(DynamoNumbers.TOO_MANY_DIGITS),
                        text + " -> " + problem);
            }
        }
    }

    // ------------------------------------------------------------------ base64

    @Test
    void base64() {
        Random rnd = new Random(64);
        for (int len = 0; len < 40; len++) {
            byte[] b = new byte[len];
            rnd.nextBytes(b);
            assertNull(Base64Text.problem(Base64.getEncoder().encodeToString(b)), "length " + len);
        }
        assertEquals(Base64Text.BAD_LENGTH, Base64Text.problem("AAA"));
        assertEquals(Base64Text.BAD_LENGTH, Base64Text.problem("AA=="  + "A"));
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("AA-_"));      // URL alphabet
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("A==="));
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("===="));
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("AA=A"));
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("AA==AA=="));  // padding in the middle
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("AAAA\nAAA"));
        assertEquals(Base64Text.BAD_CHARACTER, Base64Text.problem("ÄAAA"));
        assertEquals(Base64Text.NOT_CANONICAL, Base64Text.problem("AB=="));
        assertEquals(Base64Text.NOT_CANONICAL, Base64Text.problem("AAB="));
        assertNull(Base64Text.problem("AAE="));
        assertNull(Base64Text.problem("AQ=="));
    }

    // ------------------------------------------------------------------ UTF-8

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void validUtf8() {
        assertEquals(Utf8.ASCII, Utf8.scan(new byte[0]));
        assertEquals(Utf8.ASCII, Utf8.scan("plain ascii, longer than eight bytes".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Utf8.VALID, Utf8.scan("é日本\uD83D\uDE00\u0000\u007f\u0080\u07ff\u0800\uffff\uDBFF\uDFFF"
                .getBytes(StandardCharsets.UTF_8)));
        Random rnd = new Random(8);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(40);
            while (sb.length() < n) {
                int cp = rnd.nextInt(0x110000);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    sb.appendCodePoint(cp);
                }
            }
            boolean ascii = sb.chars().allMatch(c -> c < 0x80);
            assertEquals(ascii ? Utf8.ASCII : Utf8.VALID, Utf8.scan(sb.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void theUtf8ScanTellsAllAsciiFromMultiByteWhereverTheFirstNonAsciiByteSits() {
        assertEquals(Utf8.ASCII, Utf8.scan(new byte[0]));
        for (int length = 1; length <= 100; length++) {
            byte[] ascii = new byte[length];
            Arrays.fill(ascii, (byte) 0x7f);
            assertEquals(Utf8.ASCII, Utf8.scan(ascii), "length " + length);
            for (int at = 0; at + 1 < length; at++) {
                byte[] b = ascii.clone();
                b[at] = (byte) 0xC3;   // é, a Latin-1 char: still not ASCII
                b[at + 1] = (byte) 0xA9;
                assertEquals(Utf8.VALID, Utf8.scan(b), "length " + length + ", é at " + at);
                b[at + 1] = 'a';
                assertEquals(at, Utf8.scan(b), "length " + length + ", bad byte at " + at);
            }
        }
    }

    @Test
    void aBadByteIsFoundWhereverItSitsInTheAsciiBlocks() {
        // The ASCII run is skipped 32 and 8 bytes at a time: every offset of every block counts.
        for (int length = 1; length <= 100; length++) {
            for (int at = 0; at < length; at++) {
                byte[] b = new byte[length];
                Arrays.fill(b, (byte) 'a');
                b[at] = (byte) 0xC0;
                assertEquals(at, Utf8.scan(b), "length " + length + ", bad byte at " + at);
            }
        }
    }

    @Test
    void invalidUtf8() {
        assertEquals(0, Utf8.scan(bytes(0x80)));                    // lone continuation
        assertEquals(1, Utf8.scan(bytes('a', 0xC0, 0xAF)));         // overlong '/'
        assertEquals(0, Utf8.scan(bytes(0xC1, 0xBF)));              // overlong
        assertEquals(0, Utf8.scan(bytes(0xE0, 0x80, 0xAF)));        // overlong 3-byte
        assertEquals(0, Utf8.scan(bytes(0xF0, 0x80, 0x80, 0xAF)));  // overlong 4-byte
        assertEquals(0, Utf8.scan(bytes(0xED, 0xA0, 0x80)));        // encoded surrogate
        assertEquals(0, Utf8.scan(bytes(0xF4, 0x90, 0x80, 0x80)));  // above U+10FFFF
        assertEquals(0, Utf8.scan(bytes(0xF5, 0x80, 0x80, 0x80)));
        assertEquals(0, Utf8.scan(bytes(0xFE)));
        assertEquals(0, Utf8.scan(bytes(0xFF, 0xFE, '{', 0)));     // UTF-16 BOM
        assertEquals(2, Utf8.scan(bytes('a', 'b', 0xE2, 0x82)));    // truncated at the end
        assertEquals(0, Utf8.scan(bytes(0xC3, 'a')));               // missing continuation
        assertEquals(9, Utf8.scan(bytes('0', '1', '2', '3', '4', '5', '6', '7', '8', 0x80, 'x')));
        byte[] longAscii = new byte[1000];
        java.util.Arrays.fill(longAscii, (byte) 'a');
        longAscii[777] = (byte) 0xC0;
        assertEquals(777, Utf8.scan(longAscii));
    }

    @Test
    void utf8AgreesWithTheJdkDecoder() throws Exception {
        Random rnd = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(12)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(128) : 0x80 + rnd.nextInt(128));
            }
            boolean jdkValid;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                jdkValid = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdkValid = false;
            }
            assertEquals(jdkValid, Utf8.scan(b) < 0, () -> java.util.HexFormat.of().formatHex(b));
        }
    }
}
