package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.Terser;
import dev.steadfast.archive.workflow.PatientData;
import dev.steadfast.archive.workflow.WorklistOrder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads what an HL7 v2 message asks (docs/HL7.md lists every field used): ADT A01/A04/A08 (PID,
 * PV1), A40 (PID, MRG), ORM^O01 (PID, PV1, ORC, OBR) and OMI^O23 (PID, PV1, ORC, TQ1, OBR, IPC).
 * Values become DICOM values here: names as person names, HL7 timestamps as DA and TM.
 */
final class Hl7Commands {
    private Hl7Commands() {
    }

    /** Whether {@code type^event} is a message this archive processes (anything else is answered AR). */
    static boolean supported(String type, String event) {
        return switch (type + "^" + event) {
            case "ADT^A01", "ADT^A04", "ADT^A08", "ADT^A40", "ORM^O01", "OMI^O23" -> true;
            default -> false;
        };
    }

    static List<Hl7Command> of(Message m) throws Hl7Rejection {
        try {
            Segment msh = (Segment) m.get("MSH");
            String type = Terser.get(msh, 9, 0, 1, 1) + "^" + Terser.get(msh, 9, 0, 2, 1);
            List<Hl7Command> commands = switch (type) {
                case "ADT^A01", "ADT^A04", "ADT^A08" -> List.of(new Hl7Command.UpdatePatient(
                        patient(segment(m, "PID"), optional(m, "PV1"))));
                case "ADT^A40" -> merge(m);
                case "ORM^O01", "OMI^O23" -> orders(m, type.equals("OMI^O23"));
                default -> throw new Hl7Rejection("unsupported message type " + type, ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
            };
            for (Hl7Command c : commands) {
                DicomLimits.check(c); // each value fits the DICOM attribute it becomes
            }
            return commands;
        } catch (HL7Exception e) {
            throw new Hl7Rejection("unreadable message: " + e.getMessage(), ErrorCode.SEGMENT_SEQUENCE_ERROR);
        } catch (IllegalArgumentException e) {
            throw new Hl7Rejection(e.getMessage(), ErrorCode.REQUIRED_FIELD_MISSING);
        }
    }

    private static List<Hl7Command> merge(Message m) throws HL7Exception, Hl7Rejection {
        List<Hl7Command> out = new ArrayList<>();
        for (Structure s : m.getAll("PATIENT")) {
            Group g = (Group) s;
            Segment mrg = (Segment) g.get("MRG");
            String merged = value(mrg, 1, 1, 1);
            if (merged == null) {
                throw new Hl7Rejection("MRG-1 (prior patient identifier) is empty", ErrorCode.REQUIRED_FIELD_MISSING);
            }
            out.add(new Hl7Command.MergePatient(patient((Segment) g.get("PID"), null), merged, value(mrg, 1, 4, 1)));
        }
        if (out.isEmpty()) {
            throw new Hl7Rejection("A40 without a PATIENT group (PID, MRG)", ErrorCode.SEGMENT_SEQUENCE_ERROR);
        }
        return out;
    }

    private static List<Hl7Command> orders(Message m, boolean omi) throws HL7Exception, Hl7Rejection {
        Group patientGroup = (Group) m.get("PATIENT");
        Segment pv1 = null;
        Structure[] visits = patientGroup.getAll("PATIENT_VISIT");
        if (visits.length > 0) {
            pv1 = (Segment) ((Group) visits[0]).get("PV1");
        }
        PatientData patient = patient((Segment) patientGroup.get("PID"), pv1);
        String referring = pv1 == null ? null : personName(pv1, 8, 1);
        List<Hl7Command> out = new ArrayList<>();
        for (Structure s : m.getAll("ORDER")) {
            Group order = (Group) s;
            Segment orc = (Segment) order.get("ORC");
            Segment obr = (Segment) (omi ? order.get("OBR") : ((Group) order.get("ORDER_DETAIL")).get("OBR"));
            String control = value(orc, 1, 1, 1);
            String key = first(value(orc, 2, 1, 1), value(obr, 2, 1, 1));
            if (control == null) {
                throw new Hl7Rejection("ORC-1 (order control) is empty", ErrorCode.REQUIRED_FIELD_MISSING);
            }
            if (key == null) {
                throw new Hl7Rejection("the order has no placer order number (ORC-2 or OBR-2)", ErrorCode.REQUIRED_FIELD_MISSING);
            }
            switch (control) {
                case "CA" -> out.add(new Hl7Command.CancelOrder(key));
                case "NW", "XO" -> out.add(new Hl7Command.PlaceOrder(omi ? omiOrder(order, orc, obr, key, patient, referring)
                        : ormOrder(orc, obr, key, patient, referring), control.equals("XO")));
                default -> throw new Hl7Rejection("unsupported order control ORC-1 '" + control + "' (NW, XO and CA are)",
                        ErrorCode.TABLE_VALUE_NOT_FOUND);
            }
        }
        if (out.isEmpty()) {
            throw new Hl7Rejection("no ORDER group (ORC, OBR)", ErrorCode.SEGMENT_SEQUENCE_ERROR);
        }
        return out;
    }

    /** ORM^O01: one step per order, its fields in OBR (the IHE Scheduled Workflow placement, docs/HL7.md). */
    private static WorklistOrder ormOrder(Segment orc, Segment obr, String key, PatientData patient, String referring)
            throws HL7Exception, Hl7Rejection {
        String[] start = dateTime(first(value(obr, 27, 4, 1), value(obr, 36, 1, 1), value(orc, 7, 4, 1)), "OBR-27.4");
        String description = value(obr, 4, 2, 1);
        WorklistOrder.Step step = new WorklistOrder.Step(first(value(obr, 20, 1, 1), key), value(obr, 21, 1, 1),
                value(obr, 24, 1, 1), start[0], start[1], description, null);
        return new WorklistOrder(key, patient, key, first(value(orc, 3, 1, 1), value(obr, 3, 1, 1)), value(obr, 18, 1, 1),
                first(value(obr, 19, 1, 1), key), description, studyUid(key), first(referring, personName(obr, 16, 1)),
                List.of(step));
    }

    /** OMI^O23: the timing in TQ1, one scheduled step per IPC segment. */
    private static WorklistOrder omiOrder(Group order, Segment orc, Segment obr, String key, PatientData patient, String referring)
            throws HL7Exception, Hl7Rejection {
        String when = null;
        Structure[] timing = order.getAll("TIMING");
        if (timing.length > 0) {
            when = value((Segment) ((Group) timing[0]).get("TQ1"), 7, 1, 1);
        }
        String[] start = dateTime(first(when, value(obr, 27, 4, 1), value(orc, 7, 4, 1)), "TQ1-7");
        String description = value(obr, 4, 2, 1);
        Structure[] ipcs = order.getAll("IPC");
        if (ipcs.length == 0) {
            throw new Hl7Rejection("OMI^O23 order " + key + " has no IPC segment", ErrorCode.SEGMENT_SEQUENCE_ERROR);
        }
        Segment ipc0 = (Segment) ipcs[0];
        List<WorklistOrder.Step> steps = new ArrayList<>();
        for (Structure s : ipcs) {
            Segment ipc = (Segment) s;
            String stepId = value(ipc, 4, 1, 1);
            if (stepId == null) {
                throw new Hl7Rejection("IPC-4 (scheduled procedure step ID) is empty", ErrorCode.REQUIRED_FIELD_MISSING);
            }
            if (steps.stream().anyMatch(x -> x.stepId().equals(stepId))) {
                // refused here: on PostgreSQL the unique violation would look transient and hold up the journal
                throw new Hl7Rejection("IPC-4 '" + stepId + "' appears twice in order " + key, ErrorCode.DUPLICATE_KEY_IDENTIFIER);
            }
            steps.add(new WorklistOrder.Step(stepId, value(ipc, 9, 1, 1), value(ipc, 5, 1, 1), start[0], start[1], description, null));
        }
        return new WorklistOrder(key, patient, key, first(value(orc, 3, 1, 1), value(obr, 3, 1, 1)), value(ipc0, 1, 1, 1),
                first(value(ipc0, 2, 1, 1), key), description, first(value(ipc0, 3, 1, 1), studyUid(key)),
                first(referring, personName(obr, 16, 1)), steps);
    }

    private static PatientData patient(Segment pid, Segment pv1) throws HL7Exception, Hl7Rejection {
        String sex = value(pid, 8, 1, 1);
        String dicomSex = sex == null ? null : switch (sex) {
            case "M", "F", "O" -> sex;
            default -> ""; // U, A, N: unknown, which DICOM says with an empty value
        };
        String birth = value(pid, 7, 1, 1);
        return new PatientData(value(pid, 3, 1, 1), value(pid, 3, 4, 1), name(pid, 5),
                birth == null ? null : birth.length() >= 8 ? birth.substring(0, 8) : null, dicomSex,
                pv1 == null ? null : value(pv1, 19, 1, 1), pv1 == null ? null : value(pv1, 2, 1, 1),
                pv1 == null ? null : location(pv1));
    }

    /** XPN (family^given^middle^suffix^prefix) as a DICOM person name (family^given^middle^prefix^suffix). */
    private static String name(Segment s, int field) throws HL7Exception, Hl7Rejection {
        return personName(s, field, 0);
    }

    /** XCN (id^family^given^middle^suffix^prefix) from component {@code from}: a DICOM person name. */
    private static String personName(Segment s, int field, int from) throws HL7Exception, Hl7Rejection {
        String family = nameComponent(s, field, from + 1);
        if (family == null || family.isEmpty()) {
            return null;
        }
        return trimCarets(String.join("^", family, nz(nameComponent(s, field, from + 2)),
                nz(nameComponent(s, field, from + 3)), nz(nameComponent(s, field, from + 5)),
                nz(nameComponent(s, field, from + 4))));
    }

    private static String nameComponent(Segment s, int field, int component) throws HL7Exception, Hl7Rejection {
        return DicomValueText.nameComponent(Terser.get(s, field, 0, component, 1),
                s.getName() + "-" + field + "." + component);
    }

    /** PV1-3 point of care, room, bed. */
    private static String location(Segment pv1) throws HL7Exception, Hl7Rejection {
        List<String> parts = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            String v = DicomValueText.value(Terser.get(pv1, 3, 0, c, 1), "PV1-3." + c);
            if (v != null && !v.isEmpty()) {
                parts.add(v);
            }
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    /** An HL7 timestamp (YYYYMMDD[HH[MM[SS[.S]]]][+ZZZZ]) as {DA, TM or null}; none given: {null, null}. */
    static String[] dateTime(String ts, String field) throws Hl7Rejection {
        if (ts == null) {
            return new String[] {null, null};
        }
        String v = ts.replaceAll("[+-]\\d{4}$", "");
        if (!v.matches("\\d{8}(\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,4})?)?)?)?")) {
            throw new Hl7Rejection(field + " is not an HL7 timestamp: '" + ts + "'", ErrorCode.DATA_TYPE_ERROR);
        }
        return new String[] {v.substring(0, 8), v.length() > 8 ? v.substring(8) : null};
    }

    /**
     * A Study Instance UID for an order that brings none, the same for every message about the order
     * (so a replay or a change keeps it): 2.25 and a name-based UUID of the order key.
     */
    static String studyUid(String orderKey) {
        UUID u = UUID.nameUUIDFromBytes(("steadfast-order:" + orderKey).getBytes(StandardCharsets.UTF_8));
        BigInteger n = new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        return "2.25." + n;
    }

    private static Segment segment(Message m, String name) throws HL7Exception {
        return (Segment) m.get(name);
    }

    private static Segment optional(Message m, String name) {
        try {
            Segment s = (Segment) m.get(name);
            return s.isEmpty() ? null : s;
        } catch (HL7Exception e) {
            return null;
        }
    }

    /** Field {@code field}, first repetition, component and subcomponent; null when empty. */
    private static String value(Segment s, int field, int component, int sub) throws HL7Exception, Hl7Rejection {
        String v = Terser.get(s, field, 0, component, sub);
        return v == null || v.isBlank() ? null
                : DicomValueText.value(v.strip(), s.getName() + "-" + field + "." + component);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static String nz(String v) {
        return v == null ? "" : v;
    }

    private static String trimCarets(String pn) {
        int end = pn.length();
        while (end > 0 && pn.charAt(end - 1) == '^') {
            end--;
        }
        return pn.substring(0, end);
    }
}
