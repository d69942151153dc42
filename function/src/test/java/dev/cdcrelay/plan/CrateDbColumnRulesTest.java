package dev.cdcrelay.plan;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrateDbColumnRulesTest {

    /** The name rule as first written (every char through the Unicode tables): the reference. */
    private static boolean validNameAsFirstWritten(String name) {
        if (name.isEmpty() || name.length() > CrateDbColumnRules.MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '[' || c == '.' || c == '\'' || c < 0x20 || c == 0x7f
                    || (c != ' ' && Character.isWhitespace(c)) || Character.isSpaceChar(c) && c != ' ') {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyCharIsJudgedAsTheFirstRuleJudgedIt() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String name = "a" + (char) c + "b";
            assertEquals(validNameAsFirstWritten(name), CrateDbColumnRules.validName(name),
                    "name with U+" + Integer.toHexString(c));
        }
    }

    @Test
    void spacesOtherThanThePlainOneAreRefused() {
        assertTrue(CrateDbColumnRules.validName("with space"));
        assertFalse(CrateDbColumnRules.validName("nbsp\u00a0name"));
        assertFalse(CrateDbColumnRules.validName("em\u2003space"));
        assertFalse(CrateDbColumnRules.validName("line\u2028sep"));
        assertFalse(CrateDbColumnRules.validName("tab\tname"));
    }
}
