package dev.steadfast.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

/**
 * The Image Pixel module facts that decide how frame bytes are laid out (PS3.3 C.7.6.3).
 * A decoded frame is always little endian, one sample per {@code bitsAllocated/8} bytes
 * (bit-packed for 1-bit data) and in the stated planar configuration.
 */
public record ImageDescriptor(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                              int highBit, boolean signed, int planarConfiguration, String photometric, int frames) {

    /** Largest decoded frame accepted: bounds memory against hostile headers. */
    public static final long MAX_FRAME_BYTES = 1L << 30;

    public ImageDescriptor {
        if (rows <= 0 || columns <= 0 || rows > 0xFFFF || columns > 0xFFFF) {
            throw new PixelDataException("bad image size " + rows + "x" + columns);
        }
        if (samplesPerPixel != 1 && samplesPerPixel != 3 && samplesPerPixel != 4) {
            throw new PixelDataException("unsupported Samples per Pixel " + samplesPerPixel);
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32 && bitsAllocated != 64) {
            throw new PixelDataException("unsupported Bits Allocated " + bitsAllocated);
        }
        if (bitsStored <= 0 || bitsStored > bitsAllocated) {
            bitsStored = bitsAllocated; // a missing or impossible value: assume every bit is used
        }
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            highBit = bitsStored - 1;
        }
        if (frames < 1) {
            frames = 1;
        }
        if (photometric == null || photometric.isBlank()) {
            photometric = samplesPerPixel == 1 ? "MONOCHROME2" : "RGB";
        }
        long len = (long) rows * columns * samplesPerPixel * bitsAllocated / 8;
        if (len > MAX_FRAME_BYTES) {
            throw new PixelDataException("frame of " + len + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
        }
    }

    public static ImageDescriptor of(Dataset ds) {
        int rows = num(ds, Tag.Rows, 0);
        int cols = num(ds, Tag.Columns, 0);
        int ba = num(ds, Tag.BitsAllocated, 0);
        if (rows == 0 || cols == 0 || ba == 0) {
            throw new PixelDataException("not an image: Rows, Columns or Bits Allocated missing");
        }
        if (ds.contains(Tag.FloatPixelData)) {
            ba = 32;
        } else if (ds.contains(Tag.DoubleFloatPixelData)) {
            ba = 64;
        }
        return new ImageDescriptor(rows, cols, num(ds, Tag.SamplesPerPixel, 1), ba,
                num(ds, Tag.BitsStored, ba), num(ds, Tag.HighBit, -1), num(ds, Tag.PixelRepresentation, 0) == 1,
                num(ds, Tag.PlanarConfiguration, 0), ds.getString(Tag.PhotometricInterpretation, null),
                num(ds, Tag.NumberOfFrames, 1));
    }

    private static int num(Dataset ds, int tag, int def) {
        return dev.steadfast.imaging.frame.LenientAttributes.getInt(ds, tag, def);
    }

    public int pixels() { return rows * columns; }

    public int bytesPerSample() { return bitsAllocated <= 8 ? 1 : bitsAllocated / 8; }

    /** Bytes of one native frame; bit-packed frames round up to whole bytes; YBR_FULL_422 stores 2 samples a pixel. */
    public int frameLength() {
        int spp = isSubsampled() ? 2 : samplesPerPixel;
        long bits = (long) rows * columns * spp * bitsAllocated;
        return (int) ((bits + 7) / 8);
    }

    /** Native YBR_FULL_422: Y1 Y2 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2). */
    public boolean isSubsampled() { return samplesPerPixel == 3 && "YBR_FULL_422".equals(photometric); }

    public boolean isColor() { return samplesPerPixel > 1; }

    public ImageDescriptor withPhotometric(String pi) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                planarConfiguration, pi, frames);
    }

    public ImageDescriptor withPlanarConfiguration(int pc) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                pc, photometric, frames);
    }

    /** Writes the descriptor's attributes back into a data set. */
    public void writeTo(Dataset ds) {
        ds.setString(Tag.PhotometricInterpretation, photometric);
        if (samplesPerPixel > 1) {
            ds.setInt(Tag.PlanarConfiguration, dev.steadfast.dicom.VR.US, planarConfiguration);
        }
    }
}
