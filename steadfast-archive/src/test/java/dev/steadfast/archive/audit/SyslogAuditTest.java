package dev.steadfast.archive.audit;

import dev.steadfast.testing.AuditSchema;
import dev.steadfast.testing.Rsyslog;

import dev.steadfast.archive.audit.AuditEvents.Actor;
import dev.steadfast.archive.audit.AuditEvents.StudyRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Audit messages reach a real syslog collector (rsyslogd) over UDP and TLS, valid against the schema (issue 14). */
class SyslogAuditTest {
    @TempDir
    Path dir;

    private static final StudyRef STUDY = new StudyRef("1.2.3.4.5", "PAT-1", "Doe^John", Map.of("1.2.840.10008.5.1.4.1.1.2", 3));

    @Test
    void messagesArriveOverUdpAndTlsAndAreValid() throws Exception {
        try (Rsyslog collector = Rsyslog.start(dir.resolve("syslog"), "127.0.0.1")) {
            try (SyslogSender udp = new SyslogSender(URI.create("udp://127.0.0.1:" + collector.udpPort), null);
                 SyslogSender tls = new SyslogSender(URI.create("tls://127.0.0.1:" + collector.tlsPort),
                         trusting(collector.caPem))) {
                AuditTrail viaUdp = new AuditTrail(null, udp, "node-a", null);
                AuditTrail viaTls = new AuditTrail(null, tls, "node-b", null);
                viaUdp.record(AuditEvents.instancesStored(new Actor("CT1", "10.0.0.1"), "STEADFAST", STUDY, false, null));
                viaTls.record(AuditEvents.query(new Actor("WS1", "10.0.0.2"), "STEADFAST", "1.2.840.10008.5.1.4.1.2.2.1",
                        new byte[] {1, 2, 3}, false, null));
                viaTls.record(AuditEvents.securityAlert(new Actor("WS9", "10.0.0.9"), "STEADFAST", false, "C-GET refused",
                        Map.of()));
            }
            List<String> lines = collector.awaitLines(3, Duration.ofSeconds(60));
            assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("steadfast IHE+RFC-3881 "));
            List<String> bodies = Rsyslog.bodies(lines);
            assertThat(bodies).hasSize(3);
            for (String xml : bodies) {
                assertThat(AuditSchema.problems(xml)).as(xml).isEmpty();
            }
            assertThat(String.join("\n", bodies)).contains("AuditSourceID=\"node-a\"", "AuditSourceID=\"node-b\"",
                    "csd-code=\"110104\"", "csd-code=\"110112\"", "csd-code=\"110113\"");
        }
    }

    @Test
    void aCollectorWhoseCertificateNamesAnotherHostGetsNothing() throws Exception {
        try (Rsyslog collector = Rsyslog.start(dir.resolve("syslog"), "audit.example.org")) {
            SyslogSender tls = new SyslogSender(URI.create("tls://127.0.0.1:" + collector.tlsPort), trusting(collector.caPem));
            new AuditTrail(null, tls, "node", null).record(AuditEvents.applicationStarted("STEADFAST", "1"));
            Thread.sleep(1500); // the sender tries once, fails the host name check, and waits to retry
            assertThat(tls.sent()).isZero();
            assertThat(tls.pending()).isEqualTo(0); // the message is in hand, waiting for a collector it can trust
            tls.close();
            assertThat(collector.awaitLines(1, Duration.ofSeconds(2))).isEmpty();
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (FileInputStream in = new FileInputStream(caPem.toFile())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
