package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.imaging.PixelDataException;

/** PALETTE COLOR lookup (PS3.3 C.7.6.3.1.5-6): three LUTs to 8-bit RGB. */
final class Palette {
    private final Lut[] luts = new Lut[3];

    Palette(Dataset ds) {
        for (int c = 0; c < 3; c++) {
            luts[c] = Lut.of(ds, Tag.RedPaletteColorLookupTableDescriptor + c, Tag.RedPaletteColorLookupTableData + c);
            if (luts[c] == null) {
                luts[c] = Lut.segmented(ds, Tag.RedPaletteColorLookupTableDescriptor + c, Tag.SegmentedRedPaletteColorLookupTableData + c);
            }
            if (luts[c] == null) {
                throw new PixelDataException("PALETTE COLOR without palette data ");
            }
        }
    }

    int rgb(int index) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            Lut l = luts[c];
            int v = l.lookup(index);
            int v8 = l.bits() > 8 ? v >> 8 : v & 0xFF;
            rgb = rgb << 8 | v8;
        }
        return rgb;
    }
}
