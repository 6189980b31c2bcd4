package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link ServeOrthancTest} with the index in (embedded) PostgreSQL. */
class ServeOrthancPostgresTest extends ServeOrthancTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
