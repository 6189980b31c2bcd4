package dev.steadfast.server.hl7;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.server.config.Hl7OutConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * The ORU^R01 of a stored report, built when it is sent (so the queue holds a reference, not a
 * copy): the instance is read from storage as retrieve reads it, the order found in the worklist by
 * its accession number. MSH-10 is the queue entry's id, the same on every attempt.
 */
final class ReportMessages {
    private final Index index;
    private final RetrieveEngine retrieve;
    private final String sendingAe;

    ReportMessages(Index index, RetrieveEngine retrieve, String sendingAe) {
        this.index = index;
        this.retrieve = retrieve;
        this.sendingAe = sendingAe;
    }

    /** The message, or null when the report is no longer stored (deleted since). */
    String oru(ForwardEntry e, Hl7OutConfig.Destination to) throws IOException {
        Optional<StoredInstance> stored = index.read(tx -> tx.instances().find(e.sopUid()));
        if (stored.isEmpty()) {
            return null;
        }
        Dataset ds;
        try (InputStream in = retrieve.open(stored.get())) {
            ds = DicomReader.read(in, ReadOptions.DEFAULT).dataset();
        }
        return ReportOru.build(ds, order(ds.getString(Tag.AccessionNumber)), "SF" + e.id(), sendingAe, to.application(),
                to.facility(), LocalDateTime.now());
    }

    /** The order with this accession number in the worklist (placer and filler order numbers), if any. */
    private ReportOru.Order order(String accession) {
        if (accession == null || accession.isBlank()) {
            return ReportOru.Order.UNKNOWN;
        }
        byte[] item = index.read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(
                    "SELECT item FROM worklist_item WHERE accession_number = ? ORDER BY id LIMIT 1")) {
                ps.setString(1, accession.strip());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        if (item == null) {
            return ReportOru.Order.UNKNOWN;
        }
        try {
            Dataset d = DicomReader.readDataset(new ByteArrayInputStream(item), UID.ExplicitVRLittleEndian);
            return new ReportOru.Order(d.getString(Tag.PlacerOrderNumberImagingServiceRequest),
                    d.getString(Tag.FillerOrderNumberImagingServiceRequest));
        } catch (IOException ex) {
            return ReportOru.Order.UNKNOWN;
        }
    }
}
