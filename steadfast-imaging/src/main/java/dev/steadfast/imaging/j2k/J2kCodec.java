package dev.steadfast.imaging.j2k;

import com.github.jaiimageio.jpeg2000.J2KImageWriteParam;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.imaging.codec.FrameCodec;
import dev.steadfast.imaging.jpeg.ImageIoDecoder;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * JPEG 2000 lossless (.90) and lossy (.91) through jai-imageio-jpeg2000. Decoding undoes the
 * multi-component transform, so YBR_RCT/YBR_ICT come out as RGB; encoding writes a raw codestream
 * without the colour transform, so RGB stays RGB.
 */
public final class J2kCodec implements FrameCodec {
    public static final String LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String LOSSY = "1.2.840.10008.1.2.4.91";
    private static final String JAI_READER = "com.github.jaiimageio.jpeg2000.impl.J2KImageReader";

    private final String uid;

    public J2kCodec(String uid) {
        this.uid = uid;
    }

    @Override
    public String transferSyntaxUid() { return uid; }

    @Override
    public boolean lossy() { return uid.equals(LOSSY); }

    @Override
    public byte[] decode(byte[] encoded, ImageDescriptor image) throws IOException {
        int[] s = ImageIoDecoder.readSamples(encoded, "jpeg2000", JAI_READER, image.rows(), image.columns(),
                image.samplesPerPixel());
        return Samples.write(s, decodedDescriptor(image));
    }

    @Override
    public ImageDescriptor decodedDescriptor(ImageDescriptor image) {
        ImageDescriptor d = image.withPlanarConfiguration(0);
        String pi = image.photometric();
        return pi.equals("YBR_ICT") || pi.equals("YBR_RCT") ? d.withPhotometric("RGB") : d;
    }

    @Override
    public boolean canEncode(ImageDescriptor image) {
        return image.bitsAllocated() >= 8 && image.bitsAllocated() <= 16
                && (image.samplesPerPixel() == 1 || image.photometric().equals("RGB"));
    }

    @Override
    public byte[] encode(byte[] frame, ImageDescriptor d, EncodeOptions options) throws IOException {
        if (!canEncode(d)) {
            return FrameCodec.super.encode(frame, d, options);
        }
        BufferedImage img = image(Samples.read(frame, d), d);
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg2000");
        if (!it.hasNext()) {
            throw new PixelDataException("no JPEG 2000 writer on the class path");
        }
        ImageWriter w = it.next();
        try {
            J2KImageWriteParam p = (J2KImageWriteParam) w.getDefaultWriteParam();
            p.setWriteCodeStreamOnly(true);
            p.setComponentTransformation(false);
            if (lossy()) {
                p.setLossless(false);
                p.setFilter(J2KImageWriteParam.FILTER_97);
                double ratio = options.compressionRatio() > 0 ? options.compressionRatio() : 10;
                // JJ2000 refuses rates below its header overhead, which small images reach.
                double floor = 4096.0 * 8 / d.pixels();
                p.setEncodingRate(Math.max(floor, d.bitsStored() * d.samplesPerPixel() / ratio));
            } else {
                p.setLossless(true);
                p.setFilter(J2KImageWriteParam.FILTER_53);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
                w.setOutput(out);
                w.write(null, new IIOImage(img, null, null), p);
            }
            return bos.toByteArray();
        } finally {
            w.dispose();
        }
    }

    /** A raster whose sample size is Bits Stored, so the codestream declares the true precision and sign. */
    private static BufferedImage image(int[] samples, ImageDescriptor d) {
        int type = d.bitsAllocated() <= 8 ? DataBuffer.TYPE_BYTE : d.signed() ? DataBuffer.TYPE_SHORT : DataBuffer.TYPE_USHORT;
        int[] bits = new int[d.samplesPerPixel()];
        java.util.Arrays.fill(bits, d.bitsStored());
        ColorSpace cs = ColorSpace.getInstance(d.samplesPerPixel() == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, bits, false, false, Transparency.OPAQUE, type);
        WritableRaster r = cm.createCompatibleWritableRaster(d.columns(), d.rows());
        r.setPixels(0, 0, d.columns(), d.rows(), samples);
        return new BufferedImage(cm, r, false, null);
    }
}
