package dev.steadfast.archive.ingest;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The compact copy of an instance's header kept in the index: every attribute except bulk
 * data (binary values longer than {@value #BULK_THRESHOLD} bytes, fragments), encoded in
 * explicit VR little endian. Enough to answer any return key without opening the file.
 */
public final class Metadata {
    /** Binary values longer than this are bulk data, as in the corpus JSON oracles. */
    public static final int BULK_THRESHOLD = 1024;
    private static final Set<VR> BINARY = EnumSet.of(VR.OB, VR.OW, VR.OF, VR.OD, VR.OL, VR.OV, VR.UN);

    private Metadata() {}

    public static byte[] encode(Dataset header) throws IOException {
        Dataset compact = new Dataset();
        copyWithoutBulk(header, compact);
        return DicomWriter.encode(compact, UID.ExplicitVRLittleEndian);
    }

    public static Dataset decode(byte[] metadata) throws IOException {
        return DicomReader.readDataset(new ByteArrayInputStream(metadata), UID.ExplicitVRLittleEndian);
    }

    private static void copyWithoutBulk(Dataset from, Dataset to) {
        to.setUndefinedLength(from.undefinedLength());
        for (Element e : from) {
            switch (e.value()) {
                case Sequence s -> {
                    Sequence t = to.newSequence(e.tag(), e.vr(), s.undefinedLength() || e.vr() == VR.UN, e.bigEndian());
                    for (Dataset item : s) {
                        copyWithoutBulk(item, t.addItem());
                    }
                }
                case byte[] b -> {
                    if (!(BINARY.contains(e.vr()) && b.length > BULK_THRESHOLD)) {
                        to.put(e);
                    }
                }
                case null -> to.put(e);
                default -> { } // fragments and bulk references are bulk data
            }
        }
    }
}
