package dev.steadfast.server.serve;

import dev.steadfast.server.testing.TestNodes;

class ServeDcmtkSqliteTest extends ServeDcmtkContract {
    @Override
    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }
}
