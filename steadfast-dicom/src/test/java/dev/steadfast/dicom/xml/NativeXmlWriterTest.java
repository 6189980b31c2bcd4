package dev.steadfast.dicom.xml;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeXmlWriterTest {

    static List<Corpus.Entry> files() {
        return Corpus.wellFormed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void writesWellFormedXmlForEveryCorpusFile(Corpus.Entry entry) throws Exception {
        Dataset ds = DicomReader.readFile(entry.path()).dataset();
        Document doc = parse(ds, JsonOptions.DEFAULT);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("NativeDicomModel");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(NativeXmlWriter.NAMESPACE);
        assertThat(number(doc, "count(/*/*[local-name()='DicomAttribute'])")).isEqualTo(ds.size());
    }

    @Test
    void ctPatientNameAndSequencesHaveTheNativeModelStructure() throws Exception {
        Path ct = Corpus.root().resolve("ct/fo-dicom__CT1_J2KI.dcm");
        Dataset ds = DicomReader.readFile(ct).dataset();
        Document doc = parse(ds, JsonOptions.DEFAULT.withPretty(true));
        String pn = "/*/*[@tag='00100010']";
        assertThat(text(doc, pn + "/@vr")).isEqualTo("PN");
        assertThat(text(doc, pn + "/@keyword")).isEqualTo("PatientName");
        assertThat(text(doc, pn + "/*[local-name()='PersonName']/@number")).isEqualTo("1");
        assertThat(text(doc, pn + "/*/*[local-name()='Alphabetic']/*[local-name()='FamilyName']")).isEqualTo("CompressedSamples");
        assertThat(text(doc, pn + "/*/*[local-name()='Alphabetic']/*[local-name()='GivenName']")).isEqualTo("CT1");
        String sq = "/*/*[@tag='00082112']";
        assertThat(text(doc, sq + "/@vr")).isEqualTo("SQ");
        assertThat(text(doc, sq + "/*[local-name()='Item']/@number")).isEqualTo("1");
        assertThat(text(doc, sq + "/*/*[@tag='00081150']/*[local-name()='Value'][@number='1']"))
                .isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(text(doc, sq + "/*/*[@tag='0040A170']/*/*[@tag='00080104']/*")).isEqualTo("Uncompressed predecessor");
        assertThat(text(doc, "/*/*[@tag='7FE00010']/*[local-name()='BulkData']/@uri")).isEqualTo("bulk:/7FE00010");
    }

    @Test
    void privateElementsNameTheirCreatorAndBinaryFollowsTheBulkPolicy() throws Exception {
        Dataset ds = new Dataset();
        ds.setString(0x00090010, VR.LO, "ACME 1.0");
        ds.setString(0x00091001, VR.SH, "x");
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, new byte[] {1, 2, 3, 4});
        ds.setString(Tag.ImageType, VR.CS, "A", "", "B");
        ds.setString(Tag.StudyDescription, VR.LO, "bad\u0001char");
        ds.put(new Element(Tag.PatientName, VR.PN, "Doe^John=\u5C71\u7530".getBytes(java.nio.charset.StandardCharsets.UTF_8), false));
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        Document doc = parse(ds, JsonOptions.DEFAULT);
        assertThat(text(doc, "/*/*[@tag='00091001']/@privateCreator")).isEqualTo("ACME 1.0");
        assertThat(text(doc, "/*/*[@tag='00420011']/*[local-name()='InlineBinary']")).isEqualTo("AQIDBA==");
        assertThat(number(doc, "count(/*/*[@tag='00080008']/*[local-name()='Value'])")).isEqualTo(3);
        assertThat(text(doc, "/*/*[@tag='00081030']/*")).isEqualTo("bad\uFFFDchar");
        assertThat(text(doc, "/*/*[@tag='00100010']/*/*[local-name()='Ideographic']/*[local-name()='FamilyName']"))
                .isEqualTo("\u5C71\u7530");
    }

    private static Document parse(Dataset ds, JsonOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeXmlWriter.write(ds, out, options);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
    }

    private static final XPath XPATH = XPathFactory.newInstance().newXPath();

    private static String text(Document doc, String expr) throws Exception {
        Node n = (Node) XPATH.evaluate(expr, doc, XPathConstants.NODE);
        assertThat(n).as(expr).isNotNull();
        return n.getTextContent().strip();
    }

    private static int number(Document doc, String expr) throws Exception {
        return ((Double) XPATH.evaluate(expr, doc, XPathConstants.NUMBER)).intValue();
    }
}
