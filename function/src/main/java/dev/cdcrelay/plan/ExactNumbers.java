package dev.cdcrelay.plan;

import java.math.BigDecimal;

/** When a DynamoDB number (up to 38 digits) can travel as a double without changing. */
final class ExactNumbers {

    /** Every decimal of at most this many significant digits survives a double round trip. */
    private static final int DOUBLE_SAFE_DIGITS = 15;

    private ExactNumbers() {
    }

    /** Does {@code Double.toString(n.doubleValue())} read back as exactly {@code n}? */
    static boolean survivesDouble(BigDecimal n) {
        return n.precision() <= DOUBLE_SAFE_DIGITS
                || new BigDecimal(Double.toString(n.doubleValue())).compareTo(n) == 0;
    }
}
