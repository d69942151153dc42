package dev.cdcrelay.proof;

/**
 * Surefire runs tests with {@code -ea}. pgjdbc has an internal {@code assert} on the path where a
 * connection dies inside {@code executeBatch} (BatchResultHandler.isAutoCommit): with assertions
 * on it throws an AssertionError instead of the SQLException production (no -ea) sees. The proof
 * wants production behaviour, so driver assertions are switched off before pgjdbc's classes are
 * initialised (effective when no earlier test in this JVM already ran a batch).
 */
final class ProofJvm {

    private ProofJvm() {
    }

    static void driverAssertionsOff() {
        ClassLoader loader = org.postgresql.Driver.class.getClassLoader();
        loader.setPackageAssertionStatus("org.postgresql", false);
        loader.setPackageAssertionStatus("org.postgresql.jdbc", false);
        loader.setPackageAssertionStatus("org.postgresql.core", false);
        loader.setPackageAssertionStatus("org.postgresql.core.v3", false);
    }

    /** True when the throwable is pgjdbc's internal assertion (assertions were already on). */
    static boolean isDriverAssertion(Throwable t) {
        return t instanceof AssertionError && t.getStackTrace().length > 0
                && t.getStackTrace()[0].getClassName().startsWith("org.postgresql");
    }
}
