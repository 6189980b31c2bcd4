package dev.steadfast.server.forward;

import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardSender;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sender whose deliveries go to the audit trail (PS3.15 A.5.3.5, DICOM Instances Transferred),
 * one message per study and link, as a C-MOVE's: forwarding hands patient data to another system.
 */
final class AuditedSender implements ForwardSender {
    private final ForwardSender sender;
    private final AccessAudit audit;
    private final AuditEvents.Actor us;
    private final AuditEvents.Actor destination;

    /**
     * @param us          this archive (it requests the transfer)
     * @param destination the receiving AE title or URL, and its host
     */
    AuditedSender(ForwardSender sender, AccessAudit audit, AuditEvents.Actor us, AuditEvents.Actor destination) {
        this.sender = sender;
        this.audit = audit;
        this.us = us;
        this.destination = destination;
    }

    @Override
    public String name() {
        return sender.name();
    }

    @Override
    public boolean ordered() {
        return sender.ordered();
    }

    @Override
    public Link open(List<ForwardEntry> batch) throws IOException {
        Link link = sender.open(batch);
        Map<String, Map<String, Integer>> sent = new LinkedHashMap<>(); // study -> SOP class -> instances
        return new Link() {
            @Override
            public Result send(ForwardEntry e) throws IOException, Refused {
                Result r = link.send(e);
                if (r == Result.SENT && e.kind() == ForwardEntry.Kind.STORE) {
                    sent.computeIfAbsent(e.studyUid(), s -> new LinkedHashMap<>()).merge(String.valueOf(e.sopClassUid()), 1, Integer::sum);
                }
                return r;
            }

            @Override
            public void close() {
                link.close();
                if (!sent.isEmpty()) {
                    audit.retrieved(us, destination, sent.entrySet().stream()
                            .map(s -> new AuditEvents.StudyRef(s.getKey(), null, null, s.getValue())).toList(), false, null);
                }
            }
        };
    }
}
