package dev.cdcrelay.handler;

import dev.cdcrelay.testing.TestSinks;

/** The backfill function's loading scenarios against a real (embedded) PostgreSQL: runs in every build. */
class PostgresBackfillHandlerTest extends BackfillHandlerScenarios {
    @Override
    String url() {
        return TestSinks.postgresUrl();
    }

    @Override
    boolean crate() {
        return false;
    }
}
