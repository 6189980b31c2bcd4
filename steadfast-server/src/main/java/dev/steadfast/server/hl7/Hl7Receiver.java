package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.protocol.impl.ApplicationRouterImpl;
import ca.uhn.hl7v2.util.Terser;
import dev.steadfast.archive.workflow.Hl7Journal;
import dev.steadfast.archive.workflow.Orders;
import dev.steadfast.archive.workflow.PatientUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Answers every HL7 message the listener receives (docs/HL7.md, "Acknowledgements"):
 * <ul>
 * <li>a type this archive does not process: AR, error 200 (or 201 for an unknown event);</li>
 * <li>one that cannot be processed as sent (a required field missing, a bad timestamp, a change or
 * cancel of an unknown order): AE with an ERR segment, and the message kept as a dead letter;</li>
 * <li>otherwise the message is journaled (fsync'd) before anything else, applied in order, and
 * answered AA, also while the index is down (it is applied when the index is back).</li>
 * <li>a message that matches a route (hl7.routes) is also queued for the route's destination when
 * applied; one of a type this archive does not process is then only journaled, forwarded and
 * answered AA.</li>
 * </ul>
 * A message that could not even be journaled (disk failure) is answered AR, error 207: not
 * accepted, to be sent again.
 */
final class Hl7Receiver implements ReceivingApplication<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Receiver.class);

    private final Parser parser;
    private final PatientUpdates patients;
    private final Orders orders;
    private final Hl7Routing routing;
    private final dev.steadfast.archive.audit.AccessAudit audit;
    private Hl7Journal journal;

    Hl7Receiver(Parser parser, PatientUpdates patients, Orders orders, Hl7Routing routing,
                dev.steadfast.archive.audit.AccessAudit audit) {
        this.parser = parser;
        this.patients = patients;
        this.orders = orders;
        this.routing = routing;
        this.audit = audit == null ? dev.steadfast.archive.audit.AccessAudit.NONE : audit;
    }

    void journal(Hl7Journal journal) {
        this.journal = journal;
    }

    @Override
    public boolean canProcess(Message message) {
        return true;
    }

    @Override
    public Message processMessage(Message m, Map<String, Object> metadata) throws HL7Exception {
        Terser t = new Terser(m);
        String type = t.get("/MSH-9-1");
        String event = t.get("/MSH-9-2");
        // As received (what store and forward passes on), else as HAPI encodes it.
        Object raw = metadata == null ? null : metadata.get(ApplicationRouterImpl.RAW_MESSAGE_KEY);
        String text = raw instanceof String r ? r.replace("\r\n", "\r").replace('\n', '\r') : m.encode();
        if (!Hl7Commands.supported(type, event) && !routing.destinations(text).isEmpty()) {
            return accept(m, text); // only stored and forwarded (docs/HL7.md, "Routing")
        }
        if (!Hl7Commands.supported(type, event)) {
            boolean knownType = "ADT".equals(type) || "ORM".equals(type) || "OMI".equals(type);
            return ack(m, AcknowledgmentCode.AR, "unsupported message type " + type + "^" + event,
                    knownType ? ErrorCode.UNSUPPORTED_EVENT_CODE : ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
        }
        try {
            Hl7Commands.of(m); // everything that can be checked without the index, before anything is kept
        } catch (Hl7Rejection r) {
            try {
                journal.append(text, r.getMessage()); // becomes a dead letter, also while the index is down
                journal.drain();
            } catch (IOException | RuntimeException e) {
                LOG.warn("HL7: could not keep a rejected message as a dead letter: {}", e.toString());
            }
            LOG.info("HL7: {}^{} control id {} rejected (AE): {}", type, event, t.get("/MSH-10"), r.getMessage());
            return ack(m, AcknowledgmentCode.AE, r.getMessage(), r.code());
        }
        return accept(m, text);
    }

    /** Journals the message (fsync'd), applies what can be applied now, and answers. */
    private Message accept(Message m, String text) throws HL7Exception {
        Terser t = new Terser(m);
        String type = t.get("/MSH-9-1");
        String event = t.get("/MSH-9-2");
        long seq;
        try {
            seq = journal.append(text, null);
        } catch (IOException e) {
            LOG.error("HL7: cannot journal a message, answering AR: {}", e.toString());
            return ack(m, AcknowledgmentCode.AR, "not accepted (cannot be kept durably now); send again",
                    ErrorCode.APPLICATION_INTERNAL_ERROR);
        }
        String dead = journal.drain().get(seq);
        if (dead != null) {
            LOG.info("HL7: {}^{} control id {} not applied (AE): {}", type, event, t.get("/MSH-10"), dead);
            return ack(m, AcknowledgmentCode.AE, dead, ErrorCode.APPLICATION_INTERNAL_ERROR);
        }
        try {
            return m.generateACK();
        } catch (IOException e) {
            throw new HL7Exception(e);
        }
    }

    /** Applies one journaled message (the journal's {@link Hl7Journal.Applier}). */
    void apply(String text) throws Exception {
        Msh msh = Msh.of(text);
        if (msh != null && !Hl7Commands.supported(msh.type(), msh.event())) {
            routing.forward(text); // accepted for routing only
            return;
        }
        Message m = parser.parse(text);
        Terser t = new Terser(m);
        // Audited like the admin API's corrections (issue 18): who (MSH-3 sending application), which patient, which attributes.
        var sender = new dev.steadfast.archive.audit.AuditEvents.Actor(t.get("/MSH-3-1") == null ? "HL7" : t.get("/MSH-3-1"), null);
        String how = "HL7 " + t.get("/MSH-9-1") + "^" + t.get("/MSH-9-2");
        for (Hl7Command c : Hl7Commands.of(m)) {
            switch (c) {
                case Hl7Command.UpdatePatient u -> {
                    patients.update(u.patient());
                    audit.corrected(sender, null, u.patient().patientId(), tags(u.patient(), false), how);
                }
                case Hl7Command.MergePatient g -> {
                    patients.merge(g.survivor(), g.mergedId(), g.mergedIssuer());
                    audit.corrected(sender, null, g.survivor().patientId(), tags(g.survivor(), true),
                            how + " (merged patient " + g.mergedId() + ")");
                }
                case Hl7Command.PlaceOrder p -> orders.place(p.order(), p.change());
                case Hl7Command.CancelOrder x -> orders.cancel(x.orderKey());
            }
        }
        // Queued after the changes: replayed after a crash in between, it is applied again (idempotent) and
        // queued once more; a destination may get such a message twice, never not at all.
        routing.forward(text);
    }

    /** The attributes an update writes into stored instances, as tags (never values). */
    private static java.util.List<String> tags(dev.steadfast.archive.workflow.PatientData p, boolean identity) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (p.name() != null) {
            out.add("(0010,0010)");
        }
        if (identity) {
            out.add("(0010,0020)");
            out.add("(0010,0021)");
        }
        if (p.birthDate() != null) {
            out.add("(0010,0030)");
        }
        if (p.sex() != null) {
            out.add("(0010,0040)");
        }
        return out;
    }

    /** {message type^event, control id} read from MSH without a parser, for the dead letter. */
    static String[] describe(String text) {
        String msh = text.split("\r", 2)[0];
        if (msh.length() < 4 || !msh.startsWith("MSH")) {
            return new String[] {null, null};
        }
        String[] f = msh.split(java.util.regex.Pattern.quote(String.valueOf(msh.charAt(3))), -1);
        String type = f.length > 8 ? f[8] : null;
        if (type != null && msh.length() > 4) {
            String[] parts = type.split(java.util.regex.Pattern.quote(String.valueOf(msh.charAt(4))));
            type = parts.length > 1 ? parts[0] + "^" + parts[1] : parts[0];
        }
        return new String[] {type, f.length > 9 ? f[9] : null};
    }

    private static Message ack(Message m, AcknowledgmentCode code, String text, ErrorCode error) throws HL7Exception {
        try {
            return m.generateACK(code, new HL7Exception(text, error));
        } catch (IOException e) {
            throw new HL7Exception(e);
        }
    }
}
