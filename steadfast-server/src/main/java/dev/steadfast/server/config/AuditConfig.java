package dev.steadfast.server.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * The audit trail (DICOM PS3.15 A.5, IHE ATNA): where audit messages go.
 *
 * @param log      the local hash-chained audit log, or null for none ({@code audit.log: off})
 * @param syslog   {@code udp://host:port} or {@code tls://host:port} of a syslog collector, or null
 * @param syslogCa PEM file of the certificates trusted for the collector (TLS), or null for the JDK's
 * @param sourceId AuditSourceID of every message
 * @param siteId   AuditEnterpriseSiteID, or null
 */
public record AuditConfig(Path log, URI syslog, Path syslogCa, String sourceId, String siteId) {
    public AuditConfig {
        if (syslog != null) {
            String s = syslog.getScheme();
            ConfigException.check(("udp".equals(s) || "tls".equals(s)) && syslog.getHost() != null && syslog.getPort() > 0,
                    "audit.syslog", "must be udp://host:port or tls://host:port: " + syslog);
        }
        ConfigException.check(sourceId != null && !sourceId.isBlank(), "audit.source-id", "is required");
    }
}
