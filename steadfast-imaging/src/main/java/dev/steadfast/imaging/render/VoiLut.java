package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;

/**
 * Modality values to display values in [0, 1] (PS3.3 C.11.2): a window, or a VOI LUT. The choice,
 * in order: the caller's window, the object's n-th window (per frame for enhanced objects), its
 * n-th VOI LUT, else a window spanning the frame's modality values.
 */
public record VoiLut(double center, double width, WindowFunction function, Lut lut) {

    public static VoiLut window(double center, double width, WindowFunction f) {
        return new VoiLut(center, width, f, null);
    }

    public static VoiLut of(Dataset ds, int frame, RenderOptions o, double[] modalityRange) {
        Dataset m = FrameAttributes.macro(ds, frame, Tag.FrameVOILUTSequence);
        WindowFunction fn = o.function() != null ? o.function() : WindowFunction.of(m.getString(Tag.VOILUTFunction));
        if (o.hasWindow()) {
            return window(o.windowCenter(), o.windowWidth(), fn);
        }
        double[] c = safeDoubles(m, Tag.WindowCenter);
        double[] w = safeDoubles(m, Tag.WindowWidth);
        int i = Math.min(o.windowIndex(), Math.min(c.length, w.length) - 1);
        if (i >= 0 && w[i] > 0) {
            return window(c[i], w[i], fn);
        }
        Sequence seq = ds.getSequence(Tag.VOILUTSequence);
        if (seq != null && !seq.isEmpty()) {
            Lut lut = Lut.of(seq.get(Math.min(o.windowIndex(), seq.size() - 1)));
            if (lut != null) {
                return new VoiLut(0, 0, fn, lut);
            }
        }
        double lo = modalityRange[0];
        double hi = modalityRange[1];
        return window((lo + hi + 1) / 2, Math.max(1, hi - lo + 1), WindowFunction.LINEAR);
    }

    private static double[] safeDoubles(Dataset ds, int tag) {
        return dev.steadfast.imaging.frame.LenientAttributes.doubles(ds, tag);
    }

    public double apply(double v) {
        if (lut != null) {
            return lut.lookup(v) / (double) lut.maxOutput();
        }
        return function.apply(v, center, width);
    }
}
