package dev.cdcrelay.relay;

import dev.cdcrelay.testing.TestSinks;

/** The scenario suite against a real (embedded) PostgreSQL 14: runs in every build. */
class PostgresSinkTest extends SinkScenarios {
    @Override
    String url() {
        return TestSinks.postgresUrl();
    }
}
