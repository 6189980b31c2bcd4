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
 *
 * <p>The local log is written by one virtual thread of its own: callers only queue the message, and the
 * writer appends what has gathered and forces it to disk once per batch. So a query or a refused request
 * never waits for an fsync of the audit log, nor behind another request's one (a flood of them costs the
 * writer a batch, not everyone a turn at the lock). Beyond {@link #QUEUE} waiting messages, more are
 * dropped and counted.
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
    static final int QUEUE = 100_000;
    private final java.util.concurrent.BlockingQueue<String> pending = new java.util.concurrent.LinkedBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean closing;

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
        this.writer = log == null ? null : Thread.ofVirtual().name("audit-log").start(this::writeLoop);
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
            if (log != null && !pending.offer(xml)) {
                failures.incrementAndGet();
                LOG.error("audit record dropped ({}): {} messages already wait for the audit log", event.id().meaning(), QUEUE);
                return;
            }
            if (syslog != null) {
                syslog.send(xml, event.outcome() != AuditEvent.Outcome.SUCCESS);
            }
            recorded.incrementAndGet();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("audit record not written ({}): {}", event.id().meaning(), e.toString());
        }
    }

    /** Appends what has gathered, then one fsync for the batch; until closed and drained. */
    private void writeLoop() {
        java.util.List<String> batch = new java.util.ArrayList<>();
        while (!closing || !pending.isEmpty()) {
            try {
                String first = pending.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (!closing) {
                    continue; // only close() interrupts, and it wants the rest drained
                }
            }
            pending.drainTo(batch);
            try {
                for (String xml : batch) {
                    log.write(xml);
                }
                log.force();
            } catch (IOException | RuntimeException e) {
                failures.addAndGet(batch.size());
                LOG.error("{} audit records not written to {}: {}", batch.size(), log.file(), e.toString());
            }
            batch.clear();
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
        closing = true;
        if (writer != null) {
            try {
                writer.join(10_000); // the writer drains the queue, then stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (syslog != null) {
            syslog.close();
        }
        if (log != null) {
            log.close();
        }
    }
}
