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

    /** A Secondary Capture instance (Explicit VR Little Endian) whose data set is what {@code dataset} opens. */
    static StoreSource secondaryCapture(String sop, java.util.function.Supplier<InputStream> dataset) {
        return new StoreSource() {
            public String sopClassUid() {
                return UID.SecondaryCaptureImageStorage;
            }

            public String sopInstanceUid() {
                return sop;
            }

            public String transferSyntaxUid() {
                return UID.ExplicitVRLittleEndian;
            }

            public InputStream openDataset() {
                return dataset.get();
            }
        };
    }

    /** A Secondary Capture instance that delivers {@code first} bytes, then waits for {@code release} before the rest. */
    static StoreSource stalling(String sop, byte[] dataset, int first, java.util.concurrent.CountDownLatch release) {
        return secondaryCapture(sop, () ->
                new java.io.FilterInputStream(new ByteArrayInputStream(dataset)) {
                    long sent;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (sent >= first) {
                            try {
                                if (!release.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                                    throw new IOException("never released");
                                }
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        int n = super.read(b, off, sent < first ? (int) Math.min(len, first - sent) : len);
                        sent += Math.max(n, 0);
                        return n;
                    }
                });
    }
}
