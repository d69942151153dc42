package dev.cdcrelay.handler;

import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;

/** The backfill function's loading scenarios against CrateDB: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class CrateDbBackfillHandlerTest extends BackfillHandlerScenarios {
    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }

    @Override
    boolean crate() {
        return true;
    }
}
