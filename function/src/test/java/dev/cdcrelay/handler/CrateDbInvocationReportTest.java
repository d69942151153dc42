package dev.cdcrelay.handler;

import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link InvocationReportTest} against CrateDB: runs when CRATEDB_JDBC_URL is set. */
class CrateDbInvocationReportTest extends InvocationReportTest {

    @BeforeAll
    static void sayWhyWhenSkipped() {
        if (TestSinks.cratedbUrl() == null) {
            System.out.println(TestSinks.CRATEDB_SKIP_REASON);
        }
    }

    @BeforeEach
    void needsCrateDb() {
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
    }

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }
}
