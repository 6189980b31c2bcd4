package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.imaging.frame.LenientAttributes;

/** Stored values to modality values (PS3.3 C.11.1): rescale slope/intercept or a Modality LUT. */
public record ModalityLut(double slope, double intercept, Lut lut) {
    public static final ModalityLut IDENTITY = new ModalityLut(1, 0, null);

    public static ModalityLut of(Dataset ds, int frame) {
        Sequence seq = ds.getSequence(Tag.ModalityLUTSequence);
        if (seq != null && !seq.isEmpty()) {
            Lut lut = Lut.of(seq.get(0));
            if (lut != null) {
                return new ModalityLut(1, 0, lut);
            }
        }
        Dataset m = FrameAttributes.macro(ds, frame, Tag.PixelValueTransformationSequence);
        return new ModalityLut(LenientAttributes.getDouble(m, Tag.RescaleSlope, 1), LenientAttributes.getDouble(m, Tag.RescaleIntercept, 0), null);
    }

    public double apply(int stored) {
        return lut != null ? lut.lookup(stored) : stored * slope + intercept;
    }
}
