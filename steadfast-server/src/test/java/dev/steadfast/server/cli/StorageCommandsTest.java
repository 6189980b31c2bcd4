package dev.steadfast.server.cli;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
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

/** {@code steadfast verify} and {@code steadfast reindex} on a data directory, as an administrator runs them. */
class StorageCommandsTest {
    @TempDir
    Path dir;

    private List<StoreResult> ingest(Path data, Path... mirrors) throws Exception {
        List<StoreResult> out = new ArrayList<>();
        Files.createDirectories(data);
        try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
            IngestService ingest = new IngestService(new FileSystemStorage(data.resolve("storage")), index,
                    IngestConfig.DEFAULT);
            for (int i = 0; i < 5; i++) {
                Dataset ds = new Dataset();
                ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
                ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.9." + i);
                ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1");
                ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.2");
                ds.setString(Tag.PatientID, VR.LO, "CLI");
                ds.setBytes(Tag.PixelData, VR.OW, new byte[2048]);
                out.add(ingest.store(new ByteArrayInputStream(DicomWriter.encode(ds, UID.ExplicitVRLittleEndian)),
                        UID.ExplicitVRLittleEndian, "CLI"));
            }
        }
        for (Path m : mirrors) {
            for (StoreResult r : out) {
                Path to = m.resolve(r.key().path());
                Files.createDirectories(to.getParent());
                Files.copy(data.resolve("storage").resolve(r.key().path()), to);
            }
        }
        return out;
    }

    private int run(StringWriter out, String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
    }

    @Test
    void verifyRepairsADamagedAndAMissingCopyFromTheMirror() throws Exception {
        Path data = dir.resolve("data");
        Path mirror = dir.resolve("mirror");
        List<StoreResult> stored = ingest(data, mirror);
        Path damaged = data.resolve("storage").resolve(stored.get(1).key().path());
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(200);
            f.write(0x7F);
        }
        Files.delete(mirror.resolve(stored.get(3).key().path()));
        StringWriter out = new StringWriter();
        int code = run(out, "verify", "--data", data.toString(), "--storage", data.resolve("storage").toString(),
                "--storage", mirror.toString());
        assertThat(out.toString()).contains("objects checked:   5").contains("damaged repaired:  1")
                .contains("missing repaired:  1");
        assertThat(code).isZero();
        assertThat(Files.readAllBytes(damaged)).isEqualTo(Files.readAllBytes(mirror.resolve(stored.get(1).key().path())));
    }

    @Test
    void reindexRebuildsALostIndex() throws Exception {
        Path data = dir.resolve("data");
        ingest(data);
        Files.delete(data.resolve("index.db"));
        StringWriter out = new StringWriter();
        assertThat(run(out, "reindex", "--data", data.toString(), "--threads", "2")).isZero();
        assertThat(out.toString()).contains("indexed:            5");
        try (Index index = Index.open(IndexConfig.sqlite(data.resolve("index.db")))) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(5);
        }
    }
}
