package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.Samples;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.IOException;

/**
 * Renders a frame as a viewer would: for grey images stored values -> Modality LUT -> VOI LUT ->
 * Presentation LUT (MONOCHROME1 and INVERSE invert); colour images are converted to RGB (palette,
 * YBR). Overlays are burnt in and the result is fitted to the viewport.
 */
public final class Renderer {
    private Renderer() {}

    public static BufferedImage render(Dataset ds, String transferSyntaxUid, int frame, RenderOptions o) throws IOException {
        PixelData px = PixelData.of(ds, transferSyntaxUid);
        ImageDescriptor d = px.decodedDescriptor();
        byte[] f = px.decodedFrame(frame);
        String pi = d.photometric();
        BufferedImage img;
        if (pi.equals("PALETTE COLOR")) {
            img = palette(ds, d, f);
        } else if (d.samplesPerPixel() == 1) {
            img = grey(ds, d, f, frame, o, ds.contains(Tag.FloatPixelData) || ds.contains(Tag.DoubleFloatPixelData));
        } else {
            img = color(d, f);
        }
        if (o.overlays()) {
            Overlays.draw(ds, frame, img);
        }
        return ImageEncoders.fit(img, o.viewportWidth(), o.viewportHeight());
    }

    /** Stored value ranges up to this size go through a table built once per frame (16-bit data: 64 Ki entries). */
    private static final int MAX_TABLE = 1 << 16;

    static BufferedImage grey(Dataset ds, ImageDescriptor d, byte[] f, int frame, RenderOptions o, boolean floats) {
        if (!floats) {
            StoredGrey stored = StoredGrey.of(f, d);
            if (stored != null) {
                return greyFromStored(ds, d, f, stored, frame, o);
            }
            int[] s = Samples.read(f, d);
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (s.length > 0 && (long) max - min < MAX_TABLE) {
                return greyByTable(ds, d, s, min, max, frame, o);
            }
        }
        return greyPerPixel(ds, d, f, frame, o, floats);
    }

    /** {@link #greyByTable} read straight from the stored bytes (8/16-bit): the same table, the same pixels. */
    private static BufferedImage greyFromStored(Dataset ds, ImageDescriptor d, byte[] f, StoredGrey stored, int frame, RenderOptions o) {
        long range = stored.range();
        int min = (int) (range >> 32);
        int max = (int) range;
        if ((long) max - min >= MAX_TABLE) {
            return greyPerPixel(ds, d, f, frame, o, false);
        }
        byte[] table = greyTable(ds, d, min, max, frame, o, () -> stored.present(min, max - min + 1));
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        stored.map(table, min, out);
        return img;
    }

    /** The pipeline evaluated per pixel: float data, and integer data whose value range is too wide for a table. */
    static BufferedImage greyPerPixel(Dataset ds, ImageDescriptor d, byte[] f, int frame, RenderOptions o, boolean floats) {
        int n = d.pixels();
        double[] mv = new double[n];
        if (floats) {
            readFloats(f, d, mv);
        } else {
            int[] s = Samples.read(f, d);
            ModalityLut m = ModalityLut.of(ds, frame);
            for (int i = 0; i < n; i++) {
                mv[i] = m.apply(s[i]);
            }
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        if (!o.hasWindow()) {
            for (double v : mv) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        VoiLut voi = VoiLut.of(ds, frame, o, new double[] {lo, hi});
        boolean invert = inverted(ds, d);
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            out[i] = grey(voi, mv[i], invert);
        }
        return img;
    }

    /**
     * The same pipeline as above, evaluated once per stored value that can occur in the frame
     * instead of once per pixel: the modality, VOI and presentation steps were most of the render
     * time of a 512x512 CT, and their result depends on the stored value alone.
     */
    static BufferedImage greyByTable(Dataset ds, ImageDescriptor d, int[] s, int min, int max, int frame, RenderOptions o) {
        byte[] table = greyTable(ds, d, min, max, frame, o, () -> {
            boolean[] present = new boolean[max - min + 1];
            for (int v : s) {
                present[v - min] = true;
            }
            return present;
        });
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int n = Math.min(out.length, s.length);
        for (int i = 0; i < n; i++) {
            out[i] = table[s[i] - min];
        }
        return img;
    }

    /** The grey value of each stored value min .. max; {@code present} tells which occur (asked only when a Modality LUT needs it). */
    private static byte[] greyTable(Dataset ds, ImageDescriptor d, int min, int max, int frame, RenderOptions o,
                                    java.util.function.Supplier<boolean[]> present) {
        ModalityLut m = ModalityLut.of(ds, frame);
        double[] mv = new double[max - min + 1];
        for (int k = 0; k < mv.length; k++) {
            mv[k] = m.apply(min + k);
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        if (!o.hasWindow() && m.lut() == null) { // (with a window given the frame's range is not used)
            // Rescale is monotonic (so is its floating-point rounding): the range is at the ends, both present.
            lo = Math.min(mv[0], mv[mv.length - 1]);
            hi = Math.max(mv[0], mv[mv.length - 1]);
        } else if (!o.hasWindow()) {
            boolean[] occurs = present.get();
            for (int k = 0; k < mv.length; k++) {
                if (occurs[k]) {
                    // the modality range of the values in the frame, as the per-pixel loop computes it
                    lo = Math.min(lo, mv[k]);
                    hi = Math.max(hi, mv[k]);
                }
            }
        }
        VoiLut voi = VoiLut.of(ds, frame, o, new double[] {lo, hi});
        boolean invert = inverted(ds, d);
        byte[] table = new byte[mv.length];
        for (int k = 0; k < mv.length; k++) {
            table[k] = grey(voi, mv[k], invert);
        }
        return table;
    }

    private static byte grey(VoiLut voi, double modalityValue, boolean invert) {
        int g = (int) Math.round(voi.apply(modalityValue) * 255);
        g = Math.max(0, Math.min(255, g));
        return (byte) (invert ? 255 - g : g);
    }

    // INVERSE restates MONOCHROME1's polarity (PS3.3 C.8.11.6.1.2), it does not undo it.
    private static boolean inverted(Dataset ds, ImageDescriptor d) {
        return d.photometric().equals("MONOCHROME1") || "INVERSE".equals(ds.getString(Tag.PresentationLUTShape));
    }

    private static void readFloats(byte[] f, ImageDescriptor d, double[] mv) {
        int bps = d.bitsAllocated() / 8;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(f).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < mv.length; i++) {
            mv[i] = bps == 8 ? bb.getDouble(i * 8) : bb.getFloat(i * 4);
        }
    }

    static BufferedImage color(ImageDescriptor d, byte[] f) {
        int[] s = Samples.read(f, d);
        int shift = Math.max(0, d.bitsStored() - 8);
        if (shift > 0) {
            for (int i = 0; i < s.length; i++) {
                s[i] >>= shift;
            }
        }
        switch (d.photometric()) {
            case "RGB" -> { }
            case "YBR_FULL", "YBR_FULL_422" -> ColorSpaces.ybrFullToRgb(s);
            case "YBR_PARTIAL_422", "YBR_PARTIAL_420" -> ColorSpaces.ybrPartialToRgb(s);
            default -> throw new PixelDataException("cannot render photometric interpretation " + d.photometric());
        }
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < out.length; i++) {
            out[i] = (s[3 * i] & 0xFF) << 16 | (s[3 * i + 1] & 0xFF) << 8 | (s[3 * i + 2] & 0xFF);
        }
        return img;
    }

    static BufferedImage palette(Dataset ds, ImageDescriptor d, byte[] f) {
        Palette p = new Palette(ds);
        int[] s = Samples.read(f, d);
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < out.length; i++) {
            out[i] = p.rgb(s[i]);
        }
        return img;
    }
}
