package dev.steadfast.server.cli;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMetaBuilder;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.server.Main;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code steadfast import} as an administrator runs it: a whole folder tree, DICOMDIR media, bad files, a rerun. */
class ImportCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        long count(String name) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(\\d+)").matcher(out);
            assertThat(m.find()).as("'%s' in the summary:%n%s", name, out).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run importInto(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "--data", data.toString(), "--threads", "2",
                "--progress", "none"));
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    /** The bytes after the File Meta Information: what the archive keeps bit for bit. */
    static byte[] datasetBytes(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 65536)) {
            DicomReader.readFileMeta(in);
            return in.readAllBytes();
        }
    }

    static Dataset header(Path file) throws IOException {
        return DicomReader.readFile(file, ReadOptions.headerOnly()).dataset();
    }

    static Index index(Path data) {
        return Index.open(IndexConfig.sqlite(data.resolve("index.db")));
    }

    static Optional<InstanceRecord> stored(Index index, String sopUid) {
        return index.read(tx -> tx.instances().find(sopUid)).map(s -> s.record());
    }

    @Test
    void importsTheWholeCorpusFolderAndEveryInstanceIsStoredByteIdenticalAndFindable() throws Exception {
        Path root = Corpus.root();
        Path data = dir.resolve("data");
        // The corpus holds one instance in several encodings: replace, so the last one read is kept (the default,
        // reject, would fail the others; Issue14DuplicatePolicyTest covers the policies).
        Run first = importInto(data, "--duplicates", "replace", root.toString());

        List<Corpus.Entry> wellFormed = Corpus.wellFormed().stream().filter(e -> !e.name().endsWith("DICOMDIR")).toList();
        long filesOnDisk;
        try (Stream<Path> s = Files.walk(root)) {
            filesOnDisk = s.filter(Files::isRegularFile).count();
        }
        // The oracles, README, MANIFEST and build scripts beside the DICOM files are not DICOM: skipped, not failed.
        long notDicom = filesOnDisk - Corpus.all().size();
        assertThat(first.out()).contains("skipped:         " + (notDicom + 1) + " (not DICOM: " + notDicom + ", DICOMDIR: 1)");
        assertThat(first.count("files")).isEqualTo(filesOnDisk);

        // Real-world files without Study/Series/SOP Instance UID are refused with the reason, by path.
        Map<Path, String> expectedFailures = new HashMap<>();
        Map<String, List<Path>> bySop = new HashMap<>();
        for (Corpus.Entry e : wellFormed) {
            Dataset h = header(e.path());
            String missing = Stream.of(Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID)
                    .filter(t -> h.getString(t) == null || h.getString(t).isBlank()).map(Tag::toString).findFirst().orElse(null);
            if (missing != null) {
                expectedFailures.put(e.path(), missing + " is missing or empty");
            } else {
                bySop.computeIfAbsent(h.getString(Tag.SOPInstanceUID), k -> new ArrayList<>()).add(e.path());
            }
        }
        // Broken structure (truncated, wrong lengths) is refused; the one corrupt file whose damage is a short last
        // frame and a missing delimiter at the very end is read by the core reader, as C-STORE would take it.
        List<Corpus.Entry> storedCorrupt = Corpus.corrupt().stream().filter(e -> e.name().contains("_too_short")).toList();
        for (Corpus.Entry e : Corpus.corrupt()) {
            if (!storedCorrupt.contains(e)) {
                expectedFailures.put(e.path(), "not a readable DICOM file: ");
            }
        }
        List<String> failures = first.out().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
        assertThat(failures).hasSize(expectedFailures.size());
        expectedFailures.forEach((path, reason) -> assertThat(failures).anySatisfy(l ->
                assertThat(l).startsWith(path + ": ").contains(reason)));
        assertThat(first.count("failed")).isEqualTo(expectedFailures.size());
        assertThat(first.code()).isEqualTo(1);

        // Several corpus files are one instance in different encodings: the archive holds one of them per SOP Instance UID.
        for (Corpus.Entry e : storedCorrupt) {
            bySop.computeIfAbsent(header(e.path()).getString(Tag.SOPInstanceUID), k -> new ArrayList<>()).add(e.path());
        }
        long importedOk = first.count("imported") + first.count("replaced") + first.count("already present");
        assertThat(first.count("imported")).isGreaterThanOrEqualTo(bySop.size());
        try (Index index = index(data)) {
            QueryEngine query = new QueryEngine(index, QueryConfig.DEFAULT);
            for (Map.Entry<String, List<Path>> e : bySop.entrySet()) {
                InstanceRecord r = stored(index, e.getKey()).orElseThrow(() -> new AssertionError("not indexed: " + e.getValue()));
                byte[] kept = datasetBytes(data.resolve("storage").resolve(r.storageKey()));
                boolean identical = false;
                for (Path p : e.getValue()) {
                    identical |= Arrays.equals(kept, datasetBytes(p));
                }
                assertThat(identical).as("stored bytes of %s equal one source file's data set", e.getValue()).isTrue();
                Dataset h = header(e.getValue().getFirst());
                Dataset keys = new Dataset();
                keys.setString(Tag.StudyInstanceUID, VR.UI, h.getString(Tag.StudyInstanceUID));
                keys.setString(Tag.SeriesInstanceUID, VR.UI, h.getString(Tag.SeriesInstanceUID));
                keys.setString(Tag.SOPInstanceUID, VR.UI, e.getKey());
                assertThat(query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, keys)))
                        .as("C-FIND/QIDO finds %s", e.getValue().getFirst()).hasSize(1);
            }
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(bySop.size());
        }

        // The same command again reads nothing already done; --rescan reads it all and the index sees duplicates.
        Run again = importInto(data, root.toString());
        assertThat(again.count("done earlier")).isEqualTo(importedOk);
        assertThat(again.count("imported")).isZero();
        Run rescan = importInto(data, "--rescan", "--duplicates", "replace", root.toString());
        assertThat(rescan.count("imported")).isZero();
        assertThat(rescan.count("done earlier")).isZero();
        try (Index index = index(data)) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(bySop.size());
        }
    }

    /** Well-formed .dcm files under a corpus folder that carry the three UIDs, by SOP Instance UID. */
    static Map<String, List<Path>> importable(Path... folders) throws IOException {
        Map<String, List<Path>> bySop = new HashMap<>();
        for (Path folder : folders) {
            try (Stream<Path> s = Files.walk(folder)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                    Dataset h = header(p);
                    if (Stream.of(Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID)
                            .allMatch(t -> h.getString(t) != null && !h.getString(t).isBlank())) {
                        bySop.computeIfAbsent(h.getString(Tag.SOPInstanceUID), k -> new ArrayList<>()).add(p);
                    }
                }
            }
        }
        return bySop;
    }

    static void writeDicomdir(Path file, List<String[]> fileIds, List<String[]> inactive) throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.FileSetID, VR.CS, "IMPORTTEST");
        Sequence records = ds.newSequence(Tag.DirectoryRecordSequence);
        Dataset patient = records.addItem();
        patient.setString(Tag.DirectoryRecordType, VR.CS, "PATIENT");
        patient.setInt(Tag.RecordInUseFlag, VR.US, 0xFFFF);
        for (String[] id : fileIds) {
            Dataset image = records.addItem();
            image.setString(Tag.DirectoryRecordType, VR.CS, "IMAGE");
            image.setInt(Tag.RecordInUseFlag, VR.US, 0xFFFF);
            image.setString(Tag.ReferencedFileID, VR.CS, id);
        }
        for (String[] id : inactive) {
            Dataset image = records.addItem();
            image.setString(Tag.DirectoryRecordType, VR.CS, "IMAGE");
            image.setInt(Tag.RecordInUseFlag, VR.US, 0x0000);
            image.setString(Tag.ReferencedFileID, VR.CS, id);
        }
        Dataset forMeta = new Dataset();
        forMeta.setString(Tag.SOPClassUID, VR.UI, UID.MediaStorageDirectoryStorage);
        forMeta.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.77");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, FileMetaBuilder.build(forMeta, UID.ExplicitVRLittleEndian, null), ds,
                    UID.ExplicitVRLittleEndian);
        }
    }

    @Test
    void importsWhatADicomdirReferencesResolvingFileIdsCaseInsensitively() throws Exception {
        List<Path> sources = importable(Corpus.root().resolve("us"), Corpus.root().resolve("xray")).values().stream()
                .map(List::getFirst).sorted().limit(4).toList();
        assertThat(sources).hasSize(4);
        Path media = dir.resolve("media");
        Path series = Files.createDirectories(media.resolve("DICOM").resolve("ST000001"));
        Files.copy(sources.get(0), series.resolve("IM000001"));
        Files.copy(sources.get(1), series.resolve("im000002")); // the case a copy off an ISO 9660 disc may have
        Files.copy(sources.get(2), series.resolve("IM000003")); // on the medium, but in no record
        Files.createSymbolicLink(media.resolve("LINKED"), sources.get(3)); // a link to a file is followed
        Files.createSymbolicLink(media.resolve("LOOP"), media); // a link to a folder is not
        writeDicomdir(media.resolve("DICOMDIR"), List.of(new String[] {"DICOM", "ST000001", "IM000001"},
                new String[] {"DICOM", "ST000001", "IM000002"}, new String[] {"DICOM", "ST000001", "IM000009"}),
                List.<String[]>of(new String[] {"DICOM", "ST000001", "IM000008"}));
        Path data = dir.resolve("data");

        Run r = importInto(data, media.resolve("DICOMDIR").toString());

        assertThat(r.count("imported")).isEqualTo(2);
        assertThat(r.count("failed")).isEqualTo(1);
        assertThat(r.out()).contains("DICOMDIR -> DICOM\\ST000001\\IM000009: the DICOMDIR references a file that is not on the medium");
        assertThat(r.out()).doesNotContain("IM000008");
        assertThat(r.code()).isEqualTo(1);
        try (Index index = index(data)) {
            for (int i = 0; i < 2; i++) {
                InstanceRecord rec = stored(index, header(sources.get(i)).getString(Tag.SOPInstanceUID)).orElseThrow();
                assertThat(datasetBytes(data.resolve("storage").resolve(rec.storageKey()))).isEqualTo(datasetBytes(sources.get(i)));
            }
            assertThat(stored(index, header(sources.get(2)).getString(Tag.SOPInstanceUID))).isEmpty();
        }
        // The same folder walked instead: the DICOMDIR itself is skipped, every file is imported once.
        Run walked = importInto(data, media.toString());
        assertThat(walked.count("done earlier")).isEqualTo(2);
        assertThat(walked.count("imported")).isEqualTo(2);
        assertThat(walked.out()).contains("(not DICOM: 0, DICOMDIR: 1)");
        assertThat(walked.code()).isZero();
    }

    @Test
    void badFilesAreSkippedOrRefusedWithAReasonAndWhatIsStoredIsUntouched() throws Exception {
        Path good = importable(Corpus.root().resolve("xray")).values().stream().map(List::getFirst).sorted().findFirst().orElseThrow();
        Path data = dir.resolve("data");
        Run first = importInto(data, good.toString());
        assertThat(first.count("imported")).isEqualTo(1);
        assertThat(first.code()).isZero();
        String sop = header(good).getString(Tag.SOPInstanceUID);
        InstanceRecord before;
        byte[] storedBefore;
        try (Index index = index(data)) {
            before = stored(index, sop).orElseThrow();
            storedBefore = Files.readAllBytes(data.resolve("storage").resolve(before.storageKey()));
        }

        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("notes.txt"), "not an image\n");
        Files.write(bad.resolve("empty.dcm"), new byte[0]);
        Files.write(bad.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13});
        byte[] whole = Files.readAllBytes(good);
        Files.write(bad.resolve("truncated.dcm"), Arrays.copyOf(whole, whole.length * 6 / 10)); // same instance, cut short
        Dataset noUid = new Dataset();
        noUid.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        noUid.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.1");
        noUid.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.2");
        noUid.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        noUid.setString(Tag.PatientID, VR.LO, "PID-SECRET-42");
        try (OutputStream out = Files.newOutputStream(bad.resolve("no-uid.dcm"))) {
            Dataset forMeta = noUid.copy();
            forMeta.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.3");
            DicomWriter.writeFile(out, FileMetaBuilder.build(forMeta, UID.ExplicitVRLittleEndian, null), noUid,
                    UID.ExplicitVRLittleEndian);
        }

        // No preamble, no meta information, implicit VR: not bad at all, the syntax is detected as the reader does.
        Dataset raw = new Dataset();
        raw.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        raw.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.13");
        raw.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.11");
        raw.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.543.12");
        raw.setBytes(Tag.PixelData, VR.OW, new byte[512]);
        byte[] rawBytes = DicomWriter.encode(raw, UID.ImplicitVRLittleEndian);
        Files.write(bad.resolve("raw-implicit"), rawBytes);

        Run r = importInto(data, bad.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.count("imported")).isEqualTo(1);
        assertThat(r.out()).contains("skipped:         3 (not DICOM: 3, DICOMDIR: 0)");
        assertThat(r.count("failed")).isEqualTo(2);
        assertThat(r.out()).contains(bad.resolve("truncated.dcm") + ": not a readable DICOM file: (7FE0,0010)");
        assertThat(r.out()).contains(bad.resolve("no-uid.dcm") + ": SOP Instance UID (0008,0018) is missing or empty");
        assertThat(r.out() + r.err()).doesNotContain("Doe").doesNotContain("PID-SECRET");
        try (Index index = index(data)) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(2);
            InstanceRecord rawRecord = stored(index, "1.2.826.0.1.3680043.10.543.13").orElseThrow();
            assertThat(rawRecord.transferSyntax()).isEqualTo(UID.ImplicitVRLittleEndian);
            assertThat(datasetBytes(data.resolve("storage").resolve(rawRecord.storageKey()))).isEqualTo(rawBytes);
            assertThat(stored(index, sop).orElseThrow().sha256()).isEqualTo(before.sha256());
            assertThat(Files.readAllBytes(data.resolve("storage").resolve(before.storageKey()))).isEqualTo(storedBefore);
        }
        // A path that does not exist is a usage error, before anything is read.
        Run missing = importInto(data, dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or folder");
    }
}
