package dev.cdcrelay.plan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Whether a number comes back unchanged after being stored as a double. A reader of the double
 * (CrateDB, a JSON client) gets its shortest decimal form, so that form must equal the number.
 *
 * <p>Not {@code Double.toString}: before Java 19 it sometimes gives one digit more than the
 * shortest form, and that longer text can equal the number while the double does not: on Java 17
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
        if (Double.isInfinite(d)) {
            return false;
        }
        BigDecimal exact = new BigDecimal(d);
        // The shortest form: the fewest significant digits that still name this double (17 always do).
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.compareTo(n) == 0;
            }
        }
        return false;
    }
}
