/**
 * Ingest, index (JDBC: SQLite or PostgreSQL), storage targets (filesystem, S3), query and
 * retrieve. Knows nothing of HTTP or PDUs. Every package is exported because the server wires
 * each of them; a new package stays private until it is added here (javac tells the module that
 * needs it).
 */
@SuppressWarnings("requires-automatic") // Flyway, pgjdbc and the AWS SDK have no module descriptor
module dev.steadfast.archive {
    requires transitive dev.steadfast.dicom;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    requires com.github.kagkarlsson.scheduler;
    requires flyway.core;
    requires org.slf4j;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.apache;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.services.s3;

    exports dev.steadfast.archive.admin;
    exports dev.steadfast.archive.audit;
    exports dev.steadfast.archive.cluster;
    exports dev.steadfast.archive.config;
    exports dev.steadfast.archive.forward;
    exports dev.steadfast.archive.health;
    exports dev.steadfast.archive.index;
    exports dev.steadfast.archive.ingest;
    exports dev.steadfast.archive.iocm;
    exports dev.steadfast.archive.journal;
    exports dev.steadfast.archive.query;
    exports dev.steadfast.archive.reindex;
    exports dev.steadfast.archive.retrieve;
    exports dev.steadfast.archive.scrub;
    exports dev.steadfast.archive.sites;
    exports dev.steadfast.archive.storage;
    exports dev.steadfast.archive.storage.replica;
    exports dev.steadfast.archive.storage.s3;
    exports dev.steadfast.archive.workflow;

    // Flyway finds the numbered SQL migrations by resource path.
    opens db.migration.sqlite;
    opens db.migration.postgresql;
}
