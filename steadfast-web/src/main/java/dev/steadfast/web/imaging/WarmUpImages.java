package dev.steadfast.web.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The synthetic objects {@link RenderWarmUp} renders: Part 10 bytes made here, in memory, of the
 * kinds viewers ask for most (16-bit CT unsigned with a rescale and signed, 16-bit MR, 8-bit grey),
 * each a phantom of air, soft tissue and bone with noise, so the renderer's range and window paths
 * and the JPEG encoder's uniform and DCT blocks all run. No patient: fixed made-up UIDs under the
 * 2.25 root and no names or IDs.
 */
final class WarmUpImages {
    private WarmUpImages() {}

    /** One object and the window a viewer would ask for on it (null: the object's own). */
    record Image(String name, byte[] part10, Double windowCenter, Double windowWidth) {}

    static List<Image> all() {
        return List.of(
                new Image("ct-unsigned", part10("1", "CT", 512, 16, 12, false, -1024, 40, 400, 0, 1040, 2400), 300.0, 1500.0),
                new Image("ct-signed", part10("2", "CT", 512, 16, 16, true, 0, 40, 400, -1000, 20, 700), -600.0, 1600.0),
                new Image("mr", part10("3", "MR", 256, 16, 16, false, 0, 600, 1200, 0, 500, 1100), 400.0, 800.0),
                new Image("grey-8", part10("4", "OT", 512, 8, 8, false, 0, 0, 0, 0, 90, 220), null, null));
    }

    /**
     * A square phantom: values {@code air} outside an ellipse, {@code tissue} inside, {@code bone} in a disc,
     * each with a few bits of noise. A window of width 0 means none in the object.
     */
    private static byte[] part10(String n, String modality, int size, int bitsAllocated, int bitsStored, boolean signed,
                                 int intercept, int center, int width, int air, int tissue, int bone) {
        Dataset ds = new Dataset();
        String uid = "2.25.1907" + n; // made up, the same each start
        ds.setString(Tag.SOPClassUID, VR.UI, modality.equals("CT") ? UID.CTImageStorage
                : modality.equals("MR") ? UID.MRImageStorage : UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid + ".3");
        ds.setString(Tag.StudyInstanceUID, VR.UI, uid + ".1");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, uid + ".2");
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, size);
        ds.setInt(Tag.Columns, VR.US, size);
        ds.setInt(Tag.BitsAllocated, VR.US, bitsAllocated);
        ds.setInt(Tag.BitsStored, VR.US, bitsStored);
        ds.setInt(Tag.HighBit, VR.US, bitsStored - 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, signed ? 1 : 0);
        if (width > 0) {
            ds.setString(Tag.WindowCenter, VR.DS, String.valueOf(center));
            ds.setString(Tag.WindowWidth, VR.DS, String.valueOf(width));
        }
        if (modality.equals("CT")) {
            ds.setString(Tag.RescaleIntercept, VR.DS, String.valueOf(intercept));
            ds.setString(Tag.RescaleSlope, VR.DS, "1");
        }
        byte[] px = pixels(size, bitsAllocated / 8, air, tissue, bone);
        ds.setBytes(Tag.PixelData, bitsAllocated == 8 ? VR.OB : VR.OW, px);
        ByteArrayOutputStream out = new ByteArrayOutputStream(px.length + 1024);
        try {
            DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot fail
        }
        return out.toByteArray();
    }

    private static byte[] pixels(int size, int bytesPerSample, int air, int tissue, int bone) {
        byte[] px = new byte[size * size * bytesPerSample];
        long x = 0x9E3779B97F4A7C15L;
        double c = size / 2.0;
        double ax = size * 0.38;
        double ay = size * 0.30;
        double br2 = Math.pow(size * 0.05, 2);
        int i = 0;
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                double dx = (col - c) / ax;
                double dy = (r - c) / ay;
                int v;
                if (dx * dx + dy * dy > 1) {
                    v = air + (int) (x & 3);
                } else if ((col - c) * (col - c) + (r - size * 0.68) * (r - size * 0.68) < br2) {
                    v = bone + (int) (x & 31);
                } else {
                    v = tissue + (int) (x & 15);
                }
                px[i++] = (byte) v;
                if (bytesPerSample == 2) {
                    px[i++] = (byte) (v >> 8);
                }
            }
        }
        return px;
    }
}
