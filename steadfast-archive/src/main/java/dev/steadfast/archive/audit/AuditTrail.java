package dev.steadfast.archive.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the front doors report who did what to which study: each {@link AuditEvent} is written once as
 * PS3.15 A.5 XML, appended to the local hash-chained log and queued for the syslog collector, whichever of
 * the two are configured. Recording never throws into the caller: an audit failure is logged and counted,
 * and the image operation it describes goes on (refusing images because the audit disk is full would cost
 * more care than it saves; the operator sees the failures in /metrics and the server log).
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    /** Records nothing (tests of other things, commands that touch no patient data). */
    public static final AuditTrail NONE = new AuditTrail(null, null, "-", null);

    private final ChainedAuditLog log;
    private final SyslogSender syslog;
    private final String sourceId;
    private final String siteId;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param log      the local chained log, or null
     * @param syslog   the collector, or null
     * @param sourceId AuditSourceID of every message (the node)
     * @param siteId   AuditEnterpriseSiteID, or null
     */
    public AuditTrail(ChainedAuditLog log, SyslogSender syslog, String sourceId, String siteId) {
        this.log = log;
        this.syslog = syslog;
        this.sourceId = sourceId;
        this.siteId = siteId;
    }

    public boolean enabled() {
        return log != null || syslog != null;
    }

    public void record(AuditEvent event) {
        if (!enabled()) {
            return;
        }
        try {
            String xml = AuditXml.write(event, sourceId, siteId);
            if (log != null) {
                log.append(xml);
            }
            if (syslog != null) {
                syslog.send(xml, event.outcome() != AuditEvent.Outcome.SUCCESS);
            }
            recorded.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("audit record not written ({}): {}", event.id().meaning(), e.toString());
        }
    }

    public long recorded() {
        return recorded.get();
    }

    /** Records that could not be written to the local log, plus messages the syslog queue had to drop. */
    public long failures() {
        return failures.get() + (syslog == null ? 0 : syslog.dropped());
    }

    @Override
    public void close() throws IOException {
        if (syslog != null) {
            syslog.close();
        }
        if (log != null) {
            log.close();
        }
    }
}
