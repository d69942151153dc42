package dev.cdcrelay.plan;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactNumbersTest {

    @Test
    void aNumberWhoseLongerJava17TextMatchesButWhoseDoubleDoesNotIsNotExact() {
        // Java 17 prints this double as -8.8849842154765158E18 (equal to the number); its shortest form,
        // what CrateDB returns, is -8.884984215476516E18.
        assertFalse(ExactNumbers.survivesDouble(new BigDecimal("-8884984215476515800")));
    }

    @Test
    void fifteenDigitsOrFewerAlwaysSurvive() {
        assertTrue(ExactNumbers.survivesDouble(new BigDecimal("42.42")));
        assertTrue(ExactNumbers.survivesDouble(new BigDecimal("1E-130")));
        assertTrue(ExactNumbers.survivesDouble(new BigDecimal("123456789012345")));
    }

    @Test
    void longerNumbersSurviveOnlyWhenTheyAreTheDoublesShortestForm() {
        assertTrue(ExactNumbers.survivesDouble(new BigDecimal("9007199254740992")), "2^53 is its own shortest form");
        assertTrue(ExactNumbers.survivesDouble(new BigDecimal("0.30000000000000004")), "the shortest form of 0.1 + 0.2");
        assertFalse(ExactNumbers.survivesDouble(new BigDecimal("9007199254740993")), "2^53 + 1 is no double");
        assertFalse(ExactNumbers.survivesDouble(new BigDecimal("0.1234567890123456789")));
        assertFalse(ExactNumbers.survivesDouble(new BigDecimal("12345678901234567890123456789.5")));
        assertFalse(ExactNumbers.survivesDouble(new BigDecimal("9.9999999999999999999999999999999999999E+125")));
    }
}
