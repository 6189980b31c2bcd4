package dev.steadfast.archive.audit;

import dev.steadfast.archive.audit.AuditEvent.Code;
import dev.steadfast.archive.audit.AuditEvent.Participant;
import dev.steadfast.archive.audit.AuditEvent.ParticipantObject;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an {@link AuditEvent} as the XML of DICOM PS3.15 A.5.1 (elements in the order the schema
 * gives). One line, no declaration: it travels as a syslog message body and as a line of the local log.
 */
public final class AuditXml {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private AuditXml() {}

    /**
     * @param sourceId AuditSourceID: which archive node reports (PS3.15 A.5.2: a unique name in the enterprise)
     * @param siteId   AuditEnterpriseSiteID, or null
     */
    public static String write(AuditEvent e, String sourceId, String siteId) {
        StringWriter out = new StringWriter(1024);
        try {
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out);
            w.writeStartElement("AuditMessage");
            w.writeStartElement("EventIdentification");
            w.writeAttribute("EventActionCode", String.valueOf(e.action()));
            w.writeAttribute("EventDateTime", UTC.format(e.time().truncatedTo(ChronoUnit.MILLIS)));
            w.writeAttribute("EventOutcomeIndicator", e.outcome().value);
            code(w, "EventID", e.id());
            if (e.typeCode() != null) {
                code(w, "EventTypeCode", e.typeCode());
            }
            if (e.outcomeText() != null && !e.outcomeText().isEmpty()) {
                w.writeStartElement("EventOutcomeDescription");
                w.writeCharacters(e.outcomeText());
                w.writeEndElement();
            }
            w.writeEndElement();
            for (Participant p : e.participants()) {
                participant(w, p);
            }
            w.writeStartElement("AuditSourceIdentification");
            if (siteId != null && !siteId.isEmpty()) {
                w.writeAttribute("AuditEnterpriseSiteID", siteId);
            }
            w.writeAttribute("AuditSourceID", sourceId);
            w.writeEmptyElement("AuditSourceTypeCode");
            w.writeAttribute("csd-code", "4"); // application server process
            w.writeEndElement();
            for (ParticipantObject o : e.objects()) {
                object(w, o);
            }
            w.writeEndElement();
            w.close();
        } catch (XMLStreamException ex) {
            throw new IllegalStateException("cannot write an audit message", ex); // a StringWriter does not fail
        }
        // One line whatever the values hold: line breaks become character references, as valid in text as in attributes.
        return out.toString().replace("\r", "&#13;").replace("\n", "&#10;");
    }

    private static void participant(XMLStreamWriter w, Participant p) throws XMLStreamException {
        boolean empty = p.role() == null;
        if (empty) {
            w.writeEmptyElement("ActiveParticipant");
        } else {
            w.writeStartElement("ActiveParticipant");
        }
        w.writeAttribute("UserID", p.userId());
        if (p.alternativeUserId() != null) {
            w.writeAttribute("AlternativeUserID", p.alternativeUserId());
        }
        w.writeAttribute("UserIsRequestor", Boolean.toString(p.requestor()));
        if (p.address() != null && !p.address().isEmpty()) {
            w.writeAttribute("NetworkAccessPointID", p.address());
            w.writeAttribute("NetworkAccessPointTypeCode", looksLikeIp(p.address()) ? "2" : "1");
        }
        if (!empty) {
            code(w, "RoleIDCode", p.role());
            w.writeEndElement();
        }
    }

    private static void object(XMLStreamWriter w, ParticipantObject o) throws XMLStreamException {
        w.writeStartElement("ParticipantObjectIdentification");
        w.writeAttribute("ParticipantObjectID", o.objectId());
        w.writeAttribute("ParticipantObjectTypeCode", o.typeCode());
        w.writeAttribute("ParticipantObjectTypeCodeRole", o.role());
        code(w, "ParticipantObjectIDTypeCode", o.idType());
        if (o.query() != null) {
            w.writeStartElement("ParticipantObjectQuery");
            w.writeCharacters(Base64.getEncoder().encodeToString(o.query()));
            w.writeEndElement();
        } else {
            w.writeStartElement("ParticipantObjectName");
            w.writeCharacters(o.name());
            w.writeEndElement();
        }
        for (Map.Entry<String, String> d : o.details().entrySet()) {
            w.writeEmptyElement("ParticipantObjectDetail");
            w.writeAttribute("type", d.getKey());
            w.writeAttribute("value", Base64.getEncoder().encodeToString(d.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        if (!o.sopClasses().isEmpty() || o.mpps() != null || o.accession() != null) {
            w.writeStartElement("ParticipantObjectDescription");
            if (o.mpps() != null) {
                w.writeEmptyElement("MPPS");
                w.writeAttribute("UID", o.mpps());
            }
            if (o.accession() != null) {
                w.writeEmptyElement("Accession");
                w.writeAttribute("Number", o.accession());
            }
            for (Map.Entry<String, Integer> c : o.sopClasses().entrySet()) {
                w.writeEmptyElement("SOPClass");
                w.writeAttribute("UID", c.getKey());
                w.writeAttribute("NumberOfInstances", Integer.toString(c.getValue()));
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static void code(XMLStreamWriter w, String element, Code c) throws XMLStreamException {
        w.writeEmptyElement(element);
        w.writeAttribute("csd-code", c.code());
        w.writeAttribute("codeSystemName", c.system());
        w.writeAttribute("originalText", c.meaning());
    }

    private static boolean looksLikeIp(String address) {
        return address.indexOf(':') >= 0 || address.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
    }
}
