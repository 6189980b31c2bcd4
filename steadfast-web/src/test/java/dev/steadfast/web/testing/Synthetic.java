package dev.steadfast.web.testing;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMetaBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** Small made-up instances with fresh UIDs. */
public final class Synthetic {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Synthetic() {}

    public static String uid() {
        return "2.25.77" + SEQ.incrementAndGet();
    }

    public static Dataset instance(String patientId, String patientName, String study, String series, String sop) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240315");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Welby^Marcus");
        ds.setString(Tag.StudyDescription, VR.LO, "CHEST");
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "3");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, 16);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] px = new byte[16 * 16 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        return ds;
    }

    /** A Part 10 file of the data set in explicit VR little endian. */
    public static byte[] part10(Dataset ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, FileMetaBuilder.build(ds, UID.ExplicitVRLittleEndian, null), ds,
                UID.ExplicitVRLittleEndian);
        return out.toByteArray();
    }
}
