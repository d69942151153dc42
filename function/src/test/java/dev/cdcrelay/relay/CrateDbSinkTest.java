package dev.cdcrelay.relay;

import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The scenario suite against CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set.
 * The assumption is checked per test, not once per class, so that a run without CrateDB reports
 * every scenario as skipped instead of "Tests run: 0".
 */
class CrateDbSinkTest extends SinkScenarios {

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
