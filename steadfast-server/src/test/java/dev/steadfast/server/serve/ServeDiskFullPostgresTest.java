package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link ServeDiskFullTest} with the index in (embedded) PostgreSQL. */
class ServeDiskFullPostgresTest extends ServeDiskFullTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
