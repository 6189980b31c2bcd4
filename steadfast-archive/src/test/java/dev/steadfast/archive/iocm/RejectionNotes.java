package dev.steadfast.archive.iocm;

import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;

/**
 * IOCM rejection notes for this package's tests: a Key Object Selection document titled with a
 * CID 7011 code, its evidence naming the images of one series (PS3.3 C.17.6, IHE RAD TF-3 IOCM).
 */
final class RejectionNotes {
    private RejectionNotes() {
    }

    /** 113001, Rejected for Quality Reasons. */
    static Dataset quality(String study, Dataset... images) {
        return note("113001", "Rejected for Quality Reasons", study, images);
    }

    /** 113039, Data Retention Policy Expired. */
    static Dataset retentionExpired(String study, Dataset... images) {
        return note("113039", "Data Retention Policy Expired", study, images);
    }

    private static Dataset note(String code, String meaning, String study, Dataset... images) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.KeyObjectSelectionDocumentStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Synthetic.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Synthetic.uid());
        ds.setString(Tag.PatientID, VR.LO, images[0].getString(Tag.PatientID));
        ds.setString(Tag.Modality, VR.CS, "KO");
        Dataset title = ds.newSequence(Tag.ConceptNameCodeSequence).addItem();
        title.setString(Tag.CodeValue, VR.SH, code);
        title.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        title.setString(Tag.CodeMeaning, VR.LO, meaning);
        Dataset st = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addItem();
        st.setString(Tag.StudyInstanceUID, VR.UI, study);
        Dataset se = st.newSequence(Tag.ReferencedSeriesSequence).addItem();
        se.setString(Tag.SeriesInstanceUID, VR.UI, images[0].getString(Tag.SeriesInstanceUID));
        var refs = se.newSequence(Tag.ReferencedSOPSequence);
        for (Dataset image : images) {
            Dataset ref = refs.addItem();
            ref.setString(Tag.ReferencedSOPClassUID, VR.UI, image.getString(Tag.SOPClassUID));
            ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, image.getString(Tag.SOPInstanceUID));
        }
        return ds;
    }
}
