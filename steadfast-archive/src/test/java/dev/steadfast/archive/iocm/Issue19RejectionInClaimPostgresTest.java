package dev.steadfast.archive.iocm;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.testing.EmbeddedPostgres;

import java.nio.file.Path;

/** Issue 19's rejection look-up in the claim, on a real PostgreSQL server (embedded binaries): the claim's own connection. */
class Issue19RejectionInClaimPostgresTest extends Issue19RejectionInClaimContract {
    @Override
    protected IndexConfig indexConfig(Path dir) {
        return EmbeddedPostgres.freshDatabase();
    }
}
