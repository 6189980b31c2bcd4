package dev.steadfast.dicom.xml;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.dicom.json.WebValues;
import dev.steadfast.dicom.value.PersonName;
import dev.steadfast.dicom.value.Values;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a data set in the Native DICOM Model of PS3.19 A.1, streaming through the JDK's
 * {@link XMLStreamWriter}. Values are presented as {@link WebValues} decides for JSON too, and
 * binary values follow the same {@link JsonOptions} bulk data policy (InlineBinary up to the
 * limit, else {@code <BulkData uri=...>}). Characters XML 1.0 cannot carry (control characters,
 * lone surrogates) are replaced by U+FFFD: such text was not valid DICOM either.
 */
public final class NativeXmlWriter {
    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
    private static final String[] PN_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] PN_COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

    private final XMLStreamWriter xml;
    private final JsonOptions options;
    private final List<Integer> path = new ArrayList<>();
    private int depth;

    private NativeXmlWriter(XMLStreamWriter xml, JsonOptions options) {
        this.xml = xml;
        this.options = options;
    }

    /** Writes UTF-8 encoded XML. */
    public static void write(Dataset ds, OutputStream out, JsonOptions options) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        write(ds, w, options);
        w.flush();
    }

    public static void write(Dataset ds, Writer out, JsonOptions options) throws IOException {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            new NativeXmlWriter(xml, options).document(ds);
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }

    public static String toXml(Dataset ds, JsonOptions options) {
        StringWriter sw = new StringWriter();
        try {
            write(ds, sw, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private void document(Dataset ds) throws XMLStreamException {
        xml.writeStartDocument("UTF-8", "1.0");
        newline();
        xml.writeStartElement("NativeDicomModel");
        xml.writeDefaultNamespace(NAMESPACE);
        xml.writeAttribute("xml:space", "preserve");
        attributes(ds);
        newline();
        xml.writeEndElement();
        xml.writeEndDocument();
    }

    private void attributes(Dataset ds) throws XMLStreamException {
        depth++;
        for (Element raw : ds) {
            path.add(raw.tag());
            Element e = WebValues.effective(raw, ds);
            newline();
            xml.writeStartElement("DicomAttribute");
            xml.writeAttribute("tag", String.format("%08X", e.tag()));
            xml.writeAttribute("vr", e.vr().name());
            String keyword = ElementDictionary.keywordOf(e.tag());
            if (!keyword.isEmpty()) {
                xml.writeAttribute("keyword", keyword);
            }
            String creator = privateCreator(ds, e.tag());
            if (creator != null) {
                xml.writeAttribute("privateCreator", clean(creator));
            }
            value(e, ds);
            xml.writeEndElement();
            path.removeLast();
        }
        depth--;
    }

    /** The creator reserving the block of a private data element, null for other tags. */
    private static String privateCreator(Dataset ds, int tag) {
        if (!Tag.isPrivate(tag) || Tag.isPrivateCreator(tag) || (tag & 0xFFFF) < 0x1000) {
            return null;
        }
        return ds.getString((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF));
    }

    private void value(Element e, Dataset holder) throws XMLStreamException {
        switch (e.value()) {
            case null -> { }
            case Sequence s -> items(s);
            case Fragments f -> bulk(e);
            case BulkData bd -> bulk(e);
            case byte[] b when e.vr().kind() == VR.Kind.BINARY -> binary(e, b);
            case byte[] b -> values(e, holder);
            default -> throw new IllegalStateException("unexpected value " + e.value().getClass());
        }
    }

    private void items(Sequence s) throws XMLStreamException {
        depth++;
        for (int i = 0; i < s.size(); i++) {
            path.add(i);
            newline();
            xml.writeStartElement("Item");
            xml.writeAttribute("number", Integer.toString(i + 1));
            attributes(s.get(i));
            newline();
            xml.writeEndElement();
            path.removeLast();
        }
        depth--;
        newline();
    }

    private void bulk(Element e) throws XMLStreamException {
        xml.writeEmptyElement("BulkData");
        xml.writeAttribute("uri", clean(options.uris().uriFor(e, List.copyOf(path))));
    }

    private void binary(Element e, byte[] b) throws XMLStreamException {
        if (b.length == 0) {
            return;
        }
        if (!options.inlines(b.length)) {
            bulk(e);
            return;
        }
        xml.writeStartElement("InlineBinary");
        xml.writeCharacters(Base64.getEncoder().encodeToString(WebValues.littleEndian(e)));
        xml.writeEndElement();
    }

    private void values(Element e, Dataset holder) throws XMLStreamException {
        String[] text = switch (e.vr().kind()) {
            case INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64, TAG -> Values.strings(e, holder.charset());
            default -> WebValues.strings(e, holder);
        };
        if (text.length == 1 && text[0].isEmpty()) {
            return; // padding alone is an empty value
        }
        depth++;
        for (int i = 0; i < text.length; i++) {
            newline();
            String number = Integer.toString(i + 1);
            if (e.vr() == VR.PN) {
                personName(number, text[i]);
                continue;
            }
            if (text[i].isEmpty()) {
                xml.writeEmptyElement("Value");
                xml.writeAttribute("number", number);
                continue;
            }
            xml.writeStartElement("Value");
            xml.writeAttribute("number", number);
            xml.writeCharacters(clean(text[i]));
            xml.writeEndElement();
        }
        depth--;
        newline();
    }

    private void personName(String number, String value) throws XMLStreamException {
        if (value.isEmpty()) {
            xml.writeEmptyElement("PersonName");
            xml.writeAttribute("number", number);
            return;
        }
        PersonName pn = PersonName.parse(value);
        String[] groups = {pn.alphabetic(), pn.ideographic(), pn.phonetic()};
        xml.writeStartElement("PersonName");
        xml.writeAttribute("number", number);
        for (int g = 0; g < 3; g++) {
            if (groups[g].isEmpty()) {
                continue;
            }
            xml.writeStartElement(PN_GROUPS[g]);
            List<String> parts = PersonName.components(groups[g]);
            for (int c = 0; c < PN_COMPONENTS.length; c++) {
                if (!parts.get(c).isEmpty()) {
                    xml.writeStartElement(PN_COMPONENTS[c]);
                    xml.writeCharacters(clean(parts.get(c)));
                    xml.writeEndElement();
                }
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private void newline() throws XMLStreamException {
        if (options.pretty()) {
            xml.writeCharacters("\n" + "  ".repeat(depth));
        }
    }

    /** Replaces what XML 1.0 cannot carry (Char production of XML 1.0 section 2.2). */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            }
            if (!ok && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
