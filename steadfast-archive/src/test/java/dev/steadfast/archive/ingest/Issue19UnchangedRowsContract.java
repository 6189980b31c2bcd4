package dev.steadfast.archive.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Dialect;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 (ingest CPU per instance): the instances of one series repeat its patient, study and
 * series attributes, and each used to rewrite those three rows (and the study's modalities)
 * unchanged: a WAL page each in SQLite, a dead row version each in PostgreSQL. A trigger records
 * every row the index actually writes. Run on SQLite and PostgreSQL by the subclasses.
 */
public abstract class Issue19UnchangedRowsContract {
    private Path dir;
    private IndexConfig config;
    private Index index;
    private IngestService ingest;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-unchanged-rows");
        config = indexConfig(dir);
        index = Index.open(config);
        ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void moreInstancesOfASeriesLeaveItsPatientStudyAndSeriesRowsUnwrittenUntilAValueChanges() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        store(Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid()));
        recordRowWrites();

        for (int i = 0; i < 3; i++) {
            store(Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid()));
        }
        assertThat(rowWrites()).as("rows written by three more instances of the same series").isEmpty();

        Dataset changed = Synthetic.instance("P19", "Doe^Jane", study, series, Synthetic.uid());
        changed.setString(Tag.StudyDescription, VR.LO, "CHEST RECHECK");
        store(changed);
        assertThat(rowWrites()).as("an instance with a new study description").containsExactly("study");
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT study_description, modalities_in_study FROM study")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("CHEST RECHECK");
            assertThat(rs.getString(2)).isEqualTo("CT");
        }
    }

    /**
     * ModalitiesInStudy is recomputed only when an instance inserts or changes its series row (issue 19,
     * round four: the next instance of a known series skips it); it must still follow every change of the
     * study's series.
     */
    @Test
    void modalitiesInStudyFollowNewAndChangedSeriesButNotRepeatedOnes() throws Exception {
        String study = Synthetic.uid();
        String ct = Synthetic.uid();
        store(Synthetic.instance("P19", "Doe^Jane", study, ct, Synthetic.uid()));
        assertThat(modalities(study)).as("first instance").isEqualTo("CT");

        String mr = Synthetic.uid();
        Dataset firstMr = Synthetic.instance("P19", "Doe^Jane", study, mr, Synthetic.uid());
        firstMr.remove(Tag.Modality); // a series indexed first without a modality
        store(firstMr);
        assertThat(modalities(study)).as("a second series without Modality").isEqualTo("CT");
        Dataset secondMr = Synthetic.instance("P19", "Doe^Jane", study, mr, Synthetic.uid());
        secondMr.setString(Tag.Modality, VR.CS, "MR");
        store(secondMr);
        assertThat(modalities(study)).as("its next instance brings Modality MR").isEqualTo("CT\\MR");
        store(Synthetic.instance("P19", "Doe^Jane", study, ct, Synthetic.uid()));
        assertThat(modalities(study)).as("one more of the known CT series").isEqualTo("CT\\MR");

        Dataset pt = Synthetic.instance("P19", "Doe^Jane", study, ct, Synthetic.uid());
        pt.setString(Tag.Modality, VR.CS, "PT");
        store(pt);
        assertThat(modalities(study)).as("the CT series' modality changed to PT").isEqualTo("MR\\PT");

        String us = Synthetic.uid();
        Dataset third = Synthetic.instance("P19", "Doe^Jane", study, us, Synthetic.uid());
        third.setString(Tag.Modality, VR.CS, "US");
        store(third);
        assertThat(modalities(study)).as("a third series").isEqualTo("MR\\PT\\US");
    }

    private String modalities(String studyUid) throws SQLException {
        try (Connection c = admin(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT modalities_in_study FROM study WHERE study_uid = ?")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void store(Dataset ds) throws Exception {
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MODALITY1");
    }

    /** From now on, every UPDATE that writes a patient, study or series row leaves a line in row_writes. */
    private void recordRowWrites() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE row_writes (n INTEGER PRIMARY KEY " + (sqlite() ? "" : "GENERATED ALWAYS AS IDENTITY")
                    + ", tbl TEXT NOT NULL)");
            for (String table : List.of("patient", "study", "series")) {
                if (sqlite()) {
                    s.execute("CREATE TRIGGER written_" + table + " AFTER UPDATE ON " + table
                            + " BEGIN INSERT INTO row_writes (tbl) VALUES ('" + table + "'); END");
                } else {
                    s.execute("CREATE FUNCTION written_" + table + "() RETURNS trigger AS $$ BEGIN INSERT INTO row_writes (tbl)"
                            + " VALUES ('" + table + "'); RETURN NEW; END $$ LANGUAGE plpgsql");
                    s.execute("CREATE TRIGGER written_" + table + " AFTER UPDATE ON " + table
                            + " FOR EACH ROW EXECUTE FUNCTION written_" + table + "()");
                }
            }
        }
    }

    private List<String> rowWrites() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl FROM row_writes ORDER BY n")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            s.execute("DELETE FROM row_writes");
        }
        return out;
    }

    private boolean sqlite() {
        return index.dialect() == Dialect.SQLITE;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
    }
}
