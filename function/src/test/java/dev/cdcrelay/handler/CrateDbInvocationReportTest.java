package dev.cdcrelay.handler;

import dev.cdcrelay.testing.RequiresCrateDb;
import dev.cdcrelay.testing.TestSinks;

/** {@link InvocationReportTest} against CrateDB: runs when CRATEDB_JDBC_URL is set. */
@RequiresCrateDb
class CrateDbInvocationReportTest extends InvocationReportTest {

    @Override
    String url() {
        return TestSinks.cratedbUrl();
    }
}
