package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;

/**
 * Looks attributes up for one frame of an enhanced multi-frame object: in the frame's item of the
 * Per-frame Functional Groups, then the Shared Functional Groups, then the top-level data set.
 */
final class FrameAttributes {
    private FrameAttributes() {}

    /** The macro item (e.g. Pixel Value Transformation) that applies to the frame, or the data set itself. */
    static Dataset macro(Dataset ds, int frame, int macroTag) {
        Sequence perFrame = ds.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        if (perFrame != null && frame < perFrame.size()) {
            Dataset m = first(perFrame.get(frame), macroTag);
            if (m != null) {
                return m;
            }
        }
        Sequence shared = ds.getSequence(Tag.SharedFunctionalGroupsSequence);
        if (shared != null && !shared.isEmpty()) {
            Dataset m = first(shared.get(0), macroTag);
            if (m != null) {
                return m;
            }
        }
        return ds;
    }

    private static Dataset first(Dataset group, int tag) {
        Sequence s = group.getSequence(tag);
        return s != null && !s.isEmpty() ? s.get(0) : null;
    }
}
