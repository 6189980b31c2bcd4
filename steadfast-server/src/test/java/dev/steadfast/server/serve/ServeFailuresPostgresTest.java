package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link ServeFailuresTest} with the index in (embedded) PostgreSQL. */
class ServeFailuresPostgresTest extends ServeFailuresTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
