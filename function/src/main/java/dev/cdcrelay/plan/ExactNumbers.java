package dev.cdcrelay.plan;

import java.math.BigDecimal;

/**
 * Whether a number comes back unchanged after being stored as a double. A reader of the double
 * (CrateDB, a JSON client) gets its shortest decimal form, so that form must equal the number.
 *
 * <p>That form is {@link DoubleText#shortest}, not {@code Double.toString}: before Java 19 the
 * latter sometimes gives one digit more than the shortest form, and that longer text can equal the number while the double does not: on Java 17
 * {@code -8884984215476515800} prints as {@code -8.8849842154765158E18}, CrateDB (Java 25) stores
 * and returns {@code -8.884984215476516E18} (found by the backfill convergence proof on CrateDB).
 */
final class ExactNumbers {

    /** 15 significant digits always survive a double round trip. */
    private static final int ALWAYS_EXACT_DIGITS = 15;

    private ExactNumbers() {
    }

    static boolean survivesDouble(BigDecimal n) {
        if (n.precision() <= ALWAYS_EXACT_DIGITS) {
            return true;
        }
        double d = n.doubleValue();
        return !Double.isInfinite(d) && new BigDecimal(DoubleText.shortest(d)).compareTo(n) == 0;
    }
}
