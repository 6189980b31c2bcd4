package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, C-FIND on attributes that are not index columns and on sequences (PS3.4 C.2.2.2.6),
 * with dcmtk's findscu against serve holding the corpus as storescu sends it. dcmqrscp cannot be
 * the reference here (it matches only its fixed index keys), so the expected answer sets come from
 * the received files themselves: an entity matches when one of its instances holds the value.
 * SOP instances sent several times with different values for the key (the corpus has a few
 * encodings of one instance) are left out, as only one version is kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeFindStoredAttributesTest {
    private Path tmp;
    private ArchiveNode node;
    private int query;
    private final List<Dataset> headers = new ArrayList<>();

    @BeforeAll
    void loadTheCorpus(@TempDir Path dir) throws Exception {
        tmp = dir;
        List<Path> sent = new ArrayList<>();
        for (Received r : DcmtkCorpus.oracle(Files.createDirectories(tmp.resolve("shared")))) {
            Dataset h = DcmtkCorpus.header(r);
            String sopClass = h.getString(Tag.SOPClassUID);
            if (sopClass == null || !UidRegistry.storageSopClasses().contains(sopClass.strip())) {
                continue; // refused at association time (newer than our registry)
            }
            sent.add(r.file());
            if (!DcmtkCorpus.lacksUids(r)) {
                headers.add(h);
            }
        }
        Path data = tmp.resolve("data");
        node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of());
        Process scu = DcmtkCorpus.storescu(DcmtkCorpus.profile(tmp), "STEADFAST", node.dicomPort(), sent,
                tmp.resolve("storescu.log"));
        scu.waitFor();
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void studiesByInstitutionNameAreThoseWhoseFilesSayIt() throws Exception {
        String institution = mostCommon(h -> h.getString(Tag.InstitutionName));
        Predicate<Dataset> holds = h -> institution.equals(strip(h.getString(Tag.InstitutionName)));
        List<Dataset> answers = find("STUDY", "StudyInstanceUID", "InstitutionName=" + institution);
        assertSameEntities(answers, Tag.StudyInstanceUID, holds);
        for (Dataset a : answers) {
            assertThat(strip(a.getString(Tag.InstitutionName))).isEqualTo(institution);
        }
        // A wildcard on the same key, at the series level.
        String prefix = institution.substring(0, 3);
        assertSameEntities(find("SERIES", "SeriesInstanceUID", "InstitutionName=" + prefix + "*"), Tag.SeriesInstanceUID,
                h -> strip(h.getString(Tag.InstitutionName)).startsWith(prefix));
    }

    @Test
    void imagesBySequenceItemAreThoseWithAMatchingItemInTheirFiles() throws Exception {
        String code = mostCommon(h -> {
            Sequence s = h.getSequence(Tag.DerivationCodeSequence);
            return s == null || s.isEmpty() ? null : s.get(0).getString(Tag.CodeValue);
        });
        Predicate<Dataset> holds = h -> {
            Sequence s = h.getSequence(Tag.DerivationCodeSequence);
            if (s != null) {
                for (Dataset item : s) {
                    if (code.equals(strip(item.getString(Tag.CodeValue)))) {
                        return true;
                    }
                }
            }
            return false;
        };
        List<Dataset> answers = find("IMAGE", "SOPInstanceUID", "DerivationCodeSequence[0].CodeValue=" + code,
                "DerivationCodeSequence[0].CodingSchemeDesignator");
        assertSameEntities(answers, Tag.SOPInstanceUID, holds);
        for (Dataset a : answers) {
            Sequence items = a.getSequence(Tag.DerivationCodeSequence);
            assertThat(items).as("the matching items").isNotNull();
            for (Dataset item : items) {
                assertThat(strip(item.getString(Tag.CodeValue))).isEqualTo(code);
                assertThat(item.contains(Tag.CodingSchemeDesignator)).isTrue();
                assertThat(item.contains(Tag.CodeMeaning)).as("only the requested attributes").isFalse();
            }
        }
        assertThat(find("IMAGE", "SOPInstanceUID", "DerivationCodeSequence[0].CodeValue=NO-SUCH-CODE")).isEmpty();
    }

    /**
     * Specific Character Set both ways, with findscu sending a query file whose keys are encoded in
     * the set it declares: the key is decoded and matched against names stored in other sets, and
     * the answer comes in the requester's set when that set can hold it, else in the stored one.
     */
    @Test
    void keysInTheRequestersCharacterSetMatchAndAnswersComeInASetThatHoldsThem() throws Exception {
        Dataset russian = byCharset("ISO_IR 144");
        Dataset german = byCharset("ISO_IR 100");
        Dataset japanese = byCharset("ISO 2022 IR 87");

        // Cyrillic stored in ISO_IR 144, asked in UTF-8: answered in UTF-8.
        Dataset a = findOne(query("ISO_IR 192", Tag.PatientName, russian.getString(Tag.PatientName)), russian);
        assertThat(a.getStrings(Tag.SpecificCharacterSet)).containsExactly("ISO_IR 192");
        assertThat(new String(a.getBytes(Tag.PatientName), java.nio.charset.StandardCharsets.UTF_8).strip())
                .isEqualTo(russian.getString(Tag.PatientName));

        // Umlauts asked in Latin-1 (the bytes findscu sends are Latin-1): answered in Latin-1.
        Dataset g = findOne(query("ISO_IR 100", Tag.PatientName, german.getString(Tag.PatientName)), german);
        assertThat(g.getStrings(Tag.SpecificCharacterSet)).containsExactly("ISO_IR 100");
        assertThat(g.getString(Tag.PatientName)).isEqualTo(german.getString(Tag.PatientName));

        // Kanji cannot be written in Latin-1: answered in the stored ISO 2022 set, which says so.
        Dataset j = findOne(query("ISO_IR 100", Tag.StudyInstanceUID, japanese.getString(Tag.StudyInstanceUID)), japanese);
        assertThat(String.join("\\", j.getStrings(Tag.SpecificCharacterSet))).contains("ISO 2022 IR 87");
        assertThat(j.getString(Tag.PatientName)).isEqualTo(japanese.getString(Tag.PatientName));
    }

    /** The received file whose Specific Character Set has {@code term} and whose name is not ASCII. */
    private Dataset byCharset(String term) {
        for (Dataset h : headers) {
            String cs = String.join("\\", h.getStrings(Tag.SpecificCharacterSet));
            String name = h.getString(Tag.PatientName);
            if (cs.contains(term) && name != null && name.chars().anyMatch(c -> c > 127)) {
                return h;
            }
        }
        throw new AssertionError("the corpus has no file in " + term + " with a non-ASCII name");
    }

    /** A STUDY query file: one matching key in {@code charset}, Study Instance UID and Patient's Name returned. */
    private Path query(String charset, int tag, String value) throws Exception {
        Dataset q = new Dataset();
        q.setString(Tag.SpecificCharacterSet, dev.steadfast.dicom.VR.CS, charset);
        q.setString(Tag.QueryRetrieveLevel, dev.steadfast.dicom.VR.CS, "STUDY");
        q.setNull(Tag.PatientName, dev.steadfast.dicom.VR.PN);
        q.setNull(Tag.StudyInstanceUID, dev.steadfast.dicom.VR.UI);
        q.setString(tag, value);
        Path f = tmp.resolve("query-" + (++query) + ".dcm");
        try (var out = Files.newOutputStream(f)) {
            dev.steadfast.dicom.io.DicomWriter.writeDataset(out, q, dev.steadfast.dicom.UID.ExplicitVRLittleEndian);
        }
        return f;
    }

    private Dataset findOne(Path queryFile, Dataset expected) throws Exception {
        List<Dataset> answers = find(queryFile);
        assertThat(answers).extracting(d -> strip(d.getString(Tag.StudyInstanceUID)))
                .containsExactly(strip(expected.getString(Tag.StudyInstanceUID)));
        return answers.getFirst();
    }

    /** The most frequent non-empty value among the received files, so the query matches something. */
    private String mostCommon(java.util.function.Function<Dataset, String> value) {
        Map<String, Integer> n = new HashMap<>();
        for (Dataset h : headers) {
            String v = strip(value.apply(h));
            if (!v.isEmpty() && v.chars().allMatch(c -> c > ' ' && c < 127 || c == ' ')) {
                n.merge(v, 1, Integer::sum);
            }
        }
        assertThat(n).as("the corpus has values for the key").isNotEmpty();
        return n.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /**
     * The answered entities equal those whose received files hold the value, leaving out entities
     * with an instance sent in versions that disagree on it.
     */
    private void assertSameEntities(List<Dataset> answers, int uniqueTag, Predicate<Dataset> holds) {
        Map<String, Set<Boolean>> perSop = new HashMap<>();
        for (Dataset h : headers) {
            perSop.computeIfAbsent(strip(h.getString(Tag.SOPInstanceUID)), k -> new HashSet<>()).add(holds.test(h));
        }
        Set<String> expected = new TreeSet<>();
        Set<String> ambiguous = new HashSet<>();
        for (Dataset h : headers) {
            String entity = strip(h.getString(uniqueTag));
            if (perSop.get(strip(h.getString(Tag.SOPInstanceUID))).size() > 1) {
                ambiguous.add(entity);
            } else if (holds.test(h)) {
                expected.add(entity);
            }
        }
        expected.removeAll(ambiguous);
        Set<String> ours = new TreeSet<>();
        for (Dataset a : answers) {
            ours.add(strip(a.getString(uniqueTag)));
        }
        ours.removeAll(ambiguous);
        assertThat(expected).as("the query should match something").isNotEmpty();
        assertThat(ours).isEqualTo(expected);
    }

    private List<Dataset> find(String level, String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("-k", "QueryRetrieveLevel=" + level));
        for (String k : keys) {
            args.add("-k");
            args.add(k);
        }
        return findscu(args, null);
    }

    private List<Dataset> find(Path queryFile) throws Exception {
        return findscu(List.of(), queryFile);
    }

    private List<Dataset> findscu(List<String> keys, Path queryFile) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("responses").resolve(String.valueOf(++query)));
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-X", "-od",
                dir.toString()));
        cmd.addAll(keys);
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(node.dicomPort()));
        if (queryFile != null) {
            cmd.add(queryFile.toString());
        }
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<Dataset> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                out.add(DicomReader.readFile(f).dataset());
            }
        }
        return out;
    }

    private static String strip(String v) {
        return v == null ? "" : v.replace("\0", "").strip();
    }
}
