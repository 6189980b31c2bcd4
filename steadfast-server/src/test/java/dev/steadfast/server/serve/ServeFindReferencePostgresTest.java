package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link ServeFindReferenceTest} with the index in (embedded) PostgreSQL. */
class ServeFindReferencePostgresTest extends ServeFindReferenceTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
