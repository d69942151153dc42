package dev.cdcrelay.relay;

import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;

/** The scenario suite against CrateDB, the product's target: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class CrateDbSinkTest extends SinkScenarios {

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }
}
