package dev.steadfast.archive.workflow;

import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.dicom.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one way a patient or study change reaches stored instances (issue 18: HL7 ADT updates and
 * merges, and corrections through the admin API): each instance's indexed metadata, from which
 * C-FIND, QIDO-RS and WADO-RS metadata answer, is rewritten. The stored files are not: retrieve
 * sends the bytes as received (docs/HL7.md, docs/CONFORMANCE.md 8c).
 */
final class IndexedMetadata {
    private IndexedMetadata() {
    }

    /** Every instance of the patient row {@code patient}, edited by {@code edit}; returns how many. */
    static int ofPatient(Connection c, long patient, Consumer<Dataset> edit) throws SQLException {
        return rewrite(c, "SELECT i.id, i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                + " JOIN study st ON st.id = se.study_fk WHERE st.patient_fk = ?", patient, edit);
    }

    /** Every instance of the study row {@code study}, edited by {@code edit}; returns how many. */
    static int ofStudy(Connection c, long study, Consumer<Dataset> edit) throws SQLException {
        return rewrite(c, "SELECT i.id, i.metadata FROM instance i JOIN series se ON se.id = i.series_fk"
                + " WHERE se.study_fk = ?", study, edit);
    }

    private static int rewrite(Connection c, String select, long id, Consumer<Dataset> edit) throws SQLException {
        List<Object[]> rows = Jdbc.blobs(c, select, id);
        for (Object[] row : rows) {
            Dataset d = decode((byte[]) row[1]);
            edit.accept(d);
            Jdbc.update(c, "UPDATE instance SET metadata = ? WHERE id = ?", encode(d), row[0]);
        }
        return rows.size();
    }

    static Dataset decode(byte[] b) {
        try {
            return Metadata.decode(b);
        } catch (IOException e) {
            throw new UncheckedIOException("stored metadata is unreadable", e);
        }
    }

    static byte[] encode(Dataset d) {
        try {
            return Metadata.encode(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
