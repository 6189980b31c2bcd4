package dev.steadfast.server.hl7;

import dev.steadfast.server.config.Hl7OutConfig;
import dev.steadfast.server.workflow.Procedure;
import dev.steadfast.server.workflow.ProcedureEvents;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Order status over HL7 (issue 18, docs/HL7.md "Order status"): each procedure event of the MPPS
 * SCP becomes an ORM^O01 with ORC-1 {@code SC} (status changed) queued for every
 * {@code hl7.status.destinations}, ORC-5 (HL7 table 0038) saying what happened: {@code IP} the
 * modality started it, {@code CM} completed, {@code DC} discontinued, {@code A} its images are all
 * stored here (the Instance Availability Notification's news; the report is still to come).
 * The events come at least once; MSH-10 is derived from the step and the event, so a repeat
 * carries the same control id and a receiver can tell it is one.
 */
public final class Hl7ProcedureStatus implements ProcedureEvents {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final ProcedureEvents next;
    private final Hl7Outbox outbox;
    private final List<Hl7OutConfig.Destination> destinations;
    private final String sending;
    private final Clock clock;

    private Hl7ProcedureStatus(ProcedureEvents next, Hl7Outbox outbox, List<Hl7OutConfig.Destination> destinations,
                               String sending, Clock clock) {
        this.next = next;
        this.outbox = outbox;
        this.destinations = destinations;
        this.sending = sending;
        this.clock = clock;
    }

    /**
     * {@code next} first, then the status messages; {@code next} alone when no status destination
     * is configured.
     */
    public static ProcedureEvents around(ProcedureEvents next, Hl7Outgoing out, Hl7OutConfig config, String aeTitle) {
        if (out == null || config.statusDestinations().isEmpty()) {
            return next;
        }
        List<Hl7OutConfig.Destination> to = config.statusDestinations().stream().map(config.destinations()::get).toList();
        return new Hl7ProcedureStatus(next == null ? ProcedureEvents.NONE : next, out.outbox(), to, aeTitle, Clock.systemUTC());
    }

    @Override
    public void started(Procedure p) throws Exception {
        next.started(p);
        queue(p, "IP", "started");
    }

    @Override
    public void completed(Procedure p) throws Exception {
        next.completed(p);
        queue(p, "CM", "completed");
    }

    @Override
    public void discontinued(Procedure p) throws Exception {
        next.discontinued(p);
        queue(p, "DC", "discontinued");
    }

    @Override
    public void instancesAvailable(Procedure p, List<String> sopInstanceUids) throws Exception {
        next.instancesAvailable(p, sopInstanceUids);
        queue(p, "A", "available " + p.studyInstanceUid());
    }

    private void queue(Procedure p, String status, String event) {
        String controlId = controlId(p.mppsUid() + "|" + event);
        for (Hl7OutConfig.Destination d : destinations) {
            outbox.enqueue(d.name(), message(p, status, controlId, d), p.studyInstanceUid());
        }
    }

    /** ORM^O01 (HL7 2.5.1): MSH, PID, ORC (SC, order numbers, status), OBR (accession, procedure and step ids). */
    String message(Procedure p, String status, String controlId, Hl7OutConfig.Destination d) {
        String msh = String.join("|", "MSH", "^~\\&", ReportOru.esc(sending), "", ReportOru.esc(d.application()),
                ReportOru.esc(d.facility()), LocalDateTime.now(clock).format(TS), "", "ORM^O01^ORM_O01", controlId, "P", "2.5.1");
        String pid = String.join("|", "PID", "1", "", ReportOru.esc(p.patientId())
                + (p.issuerOfPatientId() == null || p.issuerOfPatientId().isBlank() ? "" : "^^^" + ReportOru.esc(p.issuerOfPatientId())));
        String placer = ReportOru.esc(p.orderKey());
        String filler = ReportOru.esc(p.fillerOrder());
        String orc = String.join("|", "ORC", "SC", placer, filler, "", status);
        String[] obr = new String[21];
        java.util.Arrays.fill(obr, "");
        obr[0] = "OBR";
        obr[1] = "1";
        obr[2] = placer;
        obr[3] = filler;
        obr[18] = ReportOru.esc(p.accessionNumber()); // the fields the worklist took them from (docs/HL7.md)
        obr[19] = ReportOru.esc(p.requestedProcedureId());
        obr[20] = ReportOru.esc(p.stepId());
        return String.join("\r", msh, pid, orc, String.join("|", obr)) + "\r";
    }

    /** MSH-10 (at most 20 characters in 2.5.1): "SF" and 18 hex digits of the event's SHA-256. */
    static String controlId(String event) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(event.getBytes(StandardCharsets.UTF_8));
            return "SF" + HexFormat.of().formatHex(h).substring(0, 18);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
