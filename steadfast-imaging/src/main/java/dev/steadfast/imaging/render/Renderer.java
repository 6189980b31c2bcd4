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

    static BufferedImage grey(Dataset ds, ImageDescriptor d, byte[] f, int frame, RenderOptions o, boolean floats) {
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
        // INVERSE restates MONOCHROME1's polarity (PS3.3 C.8.11.6.1.2), it does not undo it.
        boolean invert = d.photometric().equals("MONOCHROME1") || "INVERSE".equals(ds.getString(Tag.PresentationLUTShape));
        BufferedImage img = new BufferedImage(d.columns(), d.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            int g = (int) Math.round(voi.apply(mv[i]) * 255);
            g = Math.max(0, Math.min(255, g));
            out[i] = (byte) (invert ? 255 - g : g);
        }
        return img;
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
