package dev.steadfast.server.node;

import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.audit.AuditTrail;
import dev.steadfast.archive.audit.ChainedAuditLog;
import dev.steadfast.archive.audit.SyslogSender;
import dev.steadfast.server.config.AuditConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Opens the audit trail serve's configuration asks for (issue 14). */
final class AuditWiring {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWiring.class);

    private AuditWiring() {}

    static AuditTrail open(AuditConfig c, String aeTitle) throws IOException {
        ChainedAuditLog log = null;
        String damaged = null;
        if (c.log() != null) {
            try {
                log = ChainedAuditLog.open(c.log());
            } catch (IOException e) {
                if (!Files.exists(c.log())) {
                    throw e;
                }
                // Tampering or damage must not keep the archive down: keep the old log as evidence, start anew, say so.
                Path kept = c.log().resolveSibling(c.log().getFileName() + ".damaged-" + Instant.now().toEpochMilli());
                Files.move(c.log(), kept);
                LOG.error("audit log {} failed its hash chain ({}); kept as {}, a new log is started", c.log(),
                        e.getMessage(), kept);
                damaged = kept.toString();
                log = ChainedAuditLog.open(c.log());
            }
        }
        SyslogSender syslog = c.syslog() == null ? null : new SyslogSender(c.syslog(), c.syslogCa() == null ? null : trusting(c.syslogCa()));
        AuditTrail trail = new AuditTrail(log, syslog, c.sourceId(), c.siteId());
        if (damaged != null) {
            trail.record(AuditEvents.securityAlert(new AuditEvents.Actor(aeTitle, null), aeTitle, false,
                    "the previous audit log failed its hash chain check and was kept aside", Map.of("KeptAs", damaged)));
        }
        LOG.info("audit trail: {}{}", c.log() == null ? "no local log" : "local log " + c.log(),
                c.syslog() == null ? "" : ", syslog " + c.syslog());
        return trail;
    }

    private static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("audit.syslog-ca " + pem + ": " + e.getMessage(), e);
        }
    }
}
