package dev.steadfast.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetGeneratorTest {

    @Test
    void sameSeedWritesTheSameBytesAndADifferentSeedDoesNot(@TempDir Path dir) throws Exception {
        var a = Generate.write(new DatasetGenerator(42, Profile.SMALL, 20), 0, 20, Long.MAX_VALUE, dir.resolve("a"), 2);
        var b = Generate.write(new DatasetGenerator(42, Profile.SMALL, 20), 0, 20, Long.MAX_VALUE, dir.resolve("b"), 1);
        var c = Generate.write(new DatasetGenerator(43, Profile.SMALL, 20), 0, 20, Long.MAX_VALUE, dir.resolve("c"), 2);
        assertThat(a.instances()).isGreaterThan(20);
        assertThat(b.manifestSha256()).isEqualTo(a.manifestSha256());
        assertThat(c.manifestSha256()).isNotEqualTo(a.manifestSha256());
        assertThat(Files.readString(dir.resolve("b/manifest.tsv"))).isEqualTo(Files.readString(dir.resolve("a/manifest.tsv")));
    }

    @Test
    void ctStudiesHaveRealisticShapeAndReadBack(@TempDir Path dir) throws Exception {
        DatasetGenerator gen = new DatasetGenerator(7, Profile.CT, 3);
        StudyPlan study = gen.study(1);
        assertThat(study.instances()).isBetween(100, 300);
        var series = study.series().get(0);
        Path f = dir.resolve("ct.dcm");
        Files.write(f, Generate.encode(gen.instance(study, series, 1)));
        Dataset ds = DicomReader.readFile(f).dataset();
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(ds.getBytes(Tag.PixelData)).hasSize(512 * 512 * 2);
        assertThat(ds.getString(Tag.PatientName)).isEqualTo(study.patient().name());
        assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(study.studyUid()).startsWith("2.25.");
        assertThat(Files.size(f)).isBetween(524_288L, 540_000L);
    }

    @Test
    void mixedProfileSpreadsModalitiesPatientsAndNonAsciiNames() {
        DatasetGenerator gen = new DatasetGenerator(1, Profile.INDEX, 2000);
        Set<String> modalities = new HashSet<>();
        Set<String> patients = new HashSet<>();
        int nonAscii = 0;
        long instances = 0;
        for (int i = 0; i < 2000; i++) {
            StudyPlan s = gen.study(i);
            modalities.add(s.modalities());
            patients.add(s.patient().id());
            nonAscii += s.patient().utf8() ? 1 : 0;
            instances += s.instances();
        }
        assertThat(modalities).contains("CT", "MR", "CR", "DX");
        assertThat(patients.size()).isBetween(800, 1333);
        assertThat(nonAscii).isBetween(100, 600);
        assertThat(instances / 2000.0).isBetween(70.0, 130.0); // about 100 instances per study
    }
}
