package dev.steadfast.server.cli;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.reindex.Unverified;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, as an administrator runs it: {@code steadfast reindex} after a lost index reads headers
 * and says how many instances are unverified; a copy damaged after ingest is indexed anyway, and
 * {@code steadfast verify} then reads every byte, clears the rest and reports the damaged one.
 */
class Issue19ReindexThenVerifyTest {
    @TempDir
    Path dir;

    @Test
    void reindexLeavesInstancesUnverifiedAndVerifyCatchesTheDamagedOne() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<StoreResult> stored = new ArrayList<>();
        try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
            IngestService ingest = new IngestService(new FileSystemStorage(data.resolve("storage")), index, IngestConfig.DEFAULT);
            for (int i = 0; i < 4; i++) {
                Dataset ds = new Dataset();
                ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
                ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.19." + i);
                ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.19");
                ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.19.100");
                ds.setString(Tag.PatientID, VR.LO, "I19");
                ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
                stored.add(ingest.store(new ByteArrayInputStream(DicomWriter.encode(ds, UID.ExplicitVRLittleEndian)),
                        UID.ExplicitVRLittleEndian, "CLI"));
            }
        }
        Files.delete(data.resolve("index.db"));
        Path damaged = data.resolve("storage").resolve(stored.get(2).key().path());
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(f.length() - 100); // pixel data: the header still reads
            f.write(0x7F);
        }

        StringWriter out = new StringWriter();
        assertThat(run(out, "reindex", "--data", data.toString(), "--threads", "2")).isZero();
        assertThat(out.toString()).contains("indexed:            4").contains("of which unverified: 4");
        try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
            assertThat(Unverified.count(index)).isEqualTo(4);
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(4);
        }

        StringWriter verify = new StringWriter();
        assertThat(run(verify, "verify", "--data", data.toString())).isEqualTo(1); // one copy has no good copy left
        assertThat(verify.toString()).contains("unrepairable:      1").contains(stored.get(2).key().path());
        try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
            assertThat(Unverified.count(index)).isEqualTo(1); // only the damaged one is still pending
        }

        StringWriter full = new StringWriter(); // today's full read still finds the damage at once
        Files.delete(data.resolve("index.db"));
        assertThat(run(full, "reindex", "--full", "--data", data.toString(), "--threads", "2")).isEqualTo(1);
        // (replicated storage's verified read refuses the copy, so it is listed as unreadable)
        assertThat(full.toString()).contains("indexed:            3").contains(stored.get(2).key().path())
                .doesNotContain("unverified");
    }

    private static int run(StringWriter out, String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
    }
}
