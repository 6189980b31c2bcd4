package dev.steadfast.server.hl7;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The ORU^R01 (HL7 2.5.1) for a report stored in a study (docs/HL7.md, "ORU^R01 for reports"):
 * PID from the patient module, ORC/OBR with the order's placer and filler numbers (when the order
 * is known) and the accession number, then the report: one TX OBX per line of a Structured
 * Report's text, or one ED OBX with an Encapsulated PDF in base64.
 */
final class ReportOru {
    /** SOP classes that are reports: Basic Text, Enhanced and Comprehensive SR, Encapsulated PDF. */
    static final Set<String> REPORT_CLASSES = Set.of("1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22",
            "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1");
    static final String PDF = "1.2.840.10008.5.1.4.1.1.104.1";

    /** The order a report belongs to, as the worklist knows it; fields may be null. */
    record Order(String placer, String filler) {
        static final Order UNKNOWN = new Order(null, null);
    }

    private ReportOru() {
    }

    /**
     * @param controlId   MSH-10, the same for every attempt to send this report
     * @param sending     MSH-3 (this archive's AE title)
     * @param application MSH-5 of the destination, or null
     * @param facility    MSH-6 of the destination, or null
     */
    static String build(Dataset ds, Order order, String controlId, String sending, String application, String facility,
                        LocalDateTime now) {
        List<String> segs = new ArrayList<>();
        segs.add(String.join("|", "MSH", "^~\\&", esc(sending), "", esc(application), esc(facility),
                now.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")), "", "ORU^R01^ORU_R01", controlId, "P", "2.5.1"));
        String issuer = ds.getString(Tag.IssuerOfPatientID);
        segs.add(String.join("|", "PID", "1", "", esc(ds.getString(Tag.PatientID)) + (blank(issuer) ? "" : "^^^" + esc(issuer)), "",
                name(ds.getString(Tag.PatientName)), "", esc(ds.getString(Tag.PatientBirthDate)), esc(ds.getString(Tag.PatientSex))));
        String placer = esc(order.placer());
        String filler = esc(order.filler());
        segs.add(String.join("|", "ORC", "RE", placer, filler));
        boolean pdf = PDF.equals(ds.getString(Tag.SOPClassUID));
        String status = pdf || ("COMPLETE".equals(strip(ds.getString(Tag.CompletionFlag)))
                && "VERIFIED".equals(strip(ds.getString(Tag.VerificationFlag)))) ? "F" : "P";
        String observed = dateTime(ds.getString(Tag.ContentDate), ds.getString(Tag.ContentTime));
        if (observed.isEmpty()) {
            observed = dateTime(ds.getString(Tag.StudyDate), ds.getString(Tag.StudyTime));
        }
        String[] obr = new String[26];
        java.util.Arrays.fill(obr, "");
        obr[0] = "OBR";
        obr[1] = "1";
        obr[2] = placer;
        obr[3] = filler;
        obr[4] = service(ds);
        obr[7] = observed;
        obr[18] = esc(ds.getString(Tag.AccessionNumber)); // as the worklist took it (OBR-18, docs/HL7.md)
        obr[22] = observed;
        obr[24] = esc(ds.getString(Tag.Modality));
        obr[25] = status;
        segs.add(String.join("|", obr));
        String title = title(ds, pdf);
        if (pdf) {
            byte[] doc = ds.getBytes(Tag.EncapsulatedDocument);
            segs.add(obx(1, "ED", title, "^AP^PDF^Base64^" + Base64.getEncoder().encodeToString(doc == null ? new byte[0] : doc),
                    status));
        } else {
            int n = 0;
            for (String line : SrText.lines(ds)) {
                segs.add(obx(++n, "TX", title, esc(line), status));
            }
        }
        return String.join("\r", segs) + "\r";
    }

    private static String obx(int n, String type, String title, String value, String status) {
        return String.join("|", "OBX", String.valueOf(n), type, title, "", value, "", "", "", "", "", status);
    }

    /** OBR-4: the procedure code, else the study description. */
    private static String service(Dataset ds) {
        Sequence p = ds.getSequence(Tag.ProcedureCodeSequence);
        if (p != null && p.size() > 0) {
            Dataset c = p.get(0);
            return esc(c.getString(Tag.CodeValue)) + "^" + esc(c.getString(Tag.CodeMeaning)) + "^"
                    + esc(c.getString(Tag.CodingSchemeDesignator));
        }
        String d = ds.getString(Tag.StudyDescription);
        return blank(d) ? "" : "^" + esc(d);
    }

    /** OBX-3: the document title's code (LOINC 18748-4 when it has none: diagnostic imaging report). */
    private static String title(Dataset ds, boolean pdf) {
        Sequence s = ds.getSequence(Tag.ConceptNameCodeSequence);
        if (s != null && s.size() > 0) {
            Dataset c = s.get(0);
            return esc(c.getString(Tag.CodeValue)) + "^" + esc(c.getString(Tag.CodeMeaning)) + "^"
                    + esc(c.getString(Tag.CodingSchemeDesignator));
        }
        String t = pdf ? ds.getString(Tag.DocumentTitle) : null;
        return "18748-4^" + (blank(t) ? "Diagnostic Imaging Report" : esc(t)) + "^LN";
    }

    /** DICOM family^given^middle^prefix^suffix as HL7 XPN family^given^middle^suffix^prefix. */
    private static String name(String pn) {
        if (blank(pn)) {
            return "";
        }
        String[] p = pn.split("=", -1)[0].split("\\^", -1); // the alphabetic group
        String family = p.length > 0 ? p[0] : "";
        String given = p.length > 1 ? p[1] : "";
        String middle = p.length > 2 ? p[2] : "";
        String prefix = p.length > 3 ? p[3] : "";
        String suffix = p.length > 4 ? p[4] : "";
        return String.join("^", esc(family), esc(given), esc(middle), esc(suffix), esc(prefix)).replaceAll("\\^+$", "");
    }

    private static String dateTime(String date, String time) {
        String d = strip(date);
        if (d == null || d.length() < 8) {
            return "";
        }
        String t = strip(time);
        if (t == null) {
            return d.substring(0, 8);
        }
        int dot = t.indexOf('.');
        return d.substring(0, 8) + (dot >= 0 ? t.substring(0, dot) : t);
    }

    /** HL7 escaping of the delimiters (HL7 2.5.1, 2.7.4); line breaks become spaces. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.strip().toCharArray()) {
            switch (ch) {
                case '\\' -> b.append("\\E\\");
                case '|' -> b.append("\\F\\");
                case '^' -> b.append("\\S\\");
                case '&' -> b.append("\\T\\");
                case '~' -> b.append("\\R\\");
                case '\r', '\n' -> b.append(' ');
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
