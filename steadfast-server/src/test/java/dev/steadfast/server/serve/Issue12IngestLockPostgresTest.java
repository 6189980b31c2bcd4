package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link Issue12IngestLockTest} with the index on PostgreSQL. */
class Issue12IngestLockPostgresTest extends Issue12IngestLockTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
