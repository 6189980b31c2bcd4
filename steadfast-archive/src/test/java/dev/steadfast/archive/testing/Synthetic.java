package dev.steadfast.archive.testing;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** Small made-up instances with fresh UIDs, for tests that need exact control. */
public final class Synthetic {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Synthetic() {}

    public static String uid() {
        return "2.25.99" + SEQ.incrementAndGet();
    }

    public static Dataset instance(String patientId, String patientName, String studyUid, String seriesUid,
                                   String sopUid) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        if (sopUid != null) {
            ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        }
        ds.setString(Tag.StudyDate, VR.DA, "20240315");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "Steadfast Test");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Welby^Marcus");
        ds.setString(Tag.StudyDescription, VR.LO, "CHEST 50%_OFF");
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        if (studyUid != null) {
            ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        }
        if (seriesUid != null) {
            ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        }
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "3");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[64 * 64 * 2]);
        return ds;
    }

    public static byte[] encode(Dataset ds) throws IOException {
        return DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
    }
}
