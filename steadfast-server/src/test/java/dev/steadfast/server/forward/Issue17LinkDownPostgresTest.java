package dev.steadfast.server.forward;

import dev.steadfast.server.testing.TestNodes;

/** {@link Issue17LinkDownTest} with site A's index (and so its forwarding queue) in PostgreSQL. */
class Issue17LinkDownPostgresTest extends Issue17LinkDownTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
