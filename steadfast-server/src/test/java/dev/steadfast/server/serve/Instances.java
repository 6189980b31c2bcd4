package dev.steadfast.server.serve;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.StoreSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Made-up instances with fresh UIDs, sent as they are (or deliberately broken). */
final class Instances {
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Instances() {
    }

    static String uid() {
        return "2.25.4" + SEQ.incrementAndGet();
    }

    /** A secondary capture image with {@code pixelBytes} of pixel data; null UIDs are left out. */
    static Dataset image(String study, String series, String sop, int pixelBytes) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        if (sop != null) {
            ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        }
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, "Test^Serve");
        ds.setString(Tag.PatientID, VR.LO, "SERVE-1");
        if (study != null) {
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        }
        if (series != null) {
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        }
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, pixelBytes / 16);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setBytes(Tag.PixelData, VR.OB, new byte[pixelBytes]);
        return ds;
    }

    static StoreSource source(String sopClass, String sop, byte[] dataset) {
        return new StoreSource() {
            public String sopClassUid() {
                return sopClass;
            }

            public String sopInstanceUid() {
                return sop;
            }

            public String transferSyntaxUid() {
                return UID.ExplicitVRLittleEndian;
            }

            public InputStream openDataset() {
                return new ByteArrayInputStream(dataset);
            }
        };
    }

    static StoreSource source(Dataset ds) throws IOException {
        return source(ds.getString(Tag.SOPClassUID), ds.getString(Tag.SOPInstanceUID) == null ? uid() : ds.getString(Tag.SOPInstanceUID),
                DicomWriter.encode(ds, UID.ExplicitVRLittleEndian));
    }
}
