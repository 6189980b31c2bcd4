package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

class ServeDcmtkPostgresTest extends ServeDcmtkContract {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.POSTGRESQL;
    }
}
