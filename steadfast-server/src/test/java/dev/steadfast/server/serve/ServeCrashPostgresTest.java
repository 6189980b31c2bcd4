package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

/** {@link ServeCrashTest} with the index in (embedded) PostgreSQL. */
class ServeCrashPostgresTest extends ServeCrashTest {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
