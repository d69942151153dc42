package dev.cdcrelay.decode;

/**
 * Checks base64 text the way DynamoDB writes it: standard alphabet (RFC 4648 section 4), padded to
 * a multiple of four, no line breaks, and canonical (the unused bits before the padding are zero,
 * so that one binary value has exactly one spelling: {@link ItemKey} compares keys as text).
 * The empty text (an empty binary) is valid.
 */
final class Base64Text {

    static final String BAD_LENGTH = "base64 length is not a multiple of 4";
    static final String BAD_CHARACTER = "not base64 (standard alphabet with padding)";
    static final String NOT_CANONICAL = "base64 is not canonical (non-zero bits before the padding)";

    /** Value of each base64 character, -1 for everything else (including '='). */
    private static final byte[] VALUE = new byte[128];

    static {
        java.util.Arrays.fill(VALUE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Text() {
    }

    /** Returns null when {@code s} is valid, otherwise one of the fixed reasons above. */
    static String problem(String s) {
        final int n = s.length();
        if ((n & 3) != 0) {
            return BAD_LENGTH;
        }
        if (n == 0) {
            return null;
        }
        int padding = 0;
        if (s.charAt(n - 1) == '=') {
            padding = s.charAt(n - 2) == '=' ? 2 : 1;
        }
        final int data = n - padding;
        for (int i = 0; i < data; i++) {
            char c = s.charAt(i);
            if (c >= 128 || VALUE[c] < 0) {
                return BAD_CHARACTER;
            }
        }
        if (padding > 0) {
            int last = VALUE[s.charAt(data - 1)];
            int unusedBitsMask = padding == 1 ? 0x03 : 0x0F;
            if ((last & unusedBitsMask) != 0) {
                return NOT_CANONICAL;
            }
        }
        return null;
    }
}
