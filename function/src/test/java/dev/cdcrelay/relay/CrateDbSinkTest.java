package dev.cdcrelay.relay;

import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The scenario suite against CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set. */
class CrateDbSinkTest extends SinkScenarios {

    @BeforeAll
    static void needsCrateDb() {
        if (TestSinks.cratedbUrl() == null) {
            System.out.println(TestSinks.CRATEDB_SKIP_REASON);
        }
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
    }

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }
}
