package dev.steadfast.imaging.jpeg;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.imaging.codec.FrameCodec;
import dev.steadfast.imaging.jpeg.dct.DctDecoder;
import dev.steadfast.imaging.jpeg.dct.DctImage;
import dev.steadfast.imaging.jpeg.dct.YbrToRgb;
import dev.steadfast.imaging.render.ColorSpaces;

import java.io.IOException;

/**
 * JPEG baseline (.50), extended (.51), lossless process 14 (.57) and SV1 (.70). Decoding goes
 * through ImageIO (TwelveMonkeys for lossless), except 12-bit extended, which goes through
 * {@link DctDecoder}; encoding baseline through the JDK writer and lossless through
 * {@link JpegLosslessEncoder}.
 */
public final class JpegCodec implements FrameCodec {
    public static final String BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    static final String TWELVEMONKEYS = "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader";

    private final String uid;

    public JpegCodec(String uid) {
        this.uid = uid;
    }

    @Override
    public String transferSyntaxUid() { return uid; }

    @Override
    public boolean lossy() { return uid.equals(BASELINE) || uid.equals(EXTENDED); }

    @Override
    public byte[] decode(byte[] encoded, ImageDescriptor image) throws IOException {
        JpegMarkers m = JpegMarkers.scan(encoded);
        if (!m.lossless() && m.precision() > 8) {
            return decodeTwelveBit(encoded, m, image);
        }
        int[] samples = ImageIoDecoder.readSamples(encoded, "jpeg", TWELVEMONKEYS, image.rows(), image.columns(),
                image.samplesPerPixel());
        ImageDescriptor out = decodedDescriptor(image);
        if (!m.lossless() && convertsToRgb(image)) {
            ColorSpaces.ybrFullToRgb(samples);
        }
        return Samples.write(samples, out);
    }

    /** 12-bit lossy JPEG, which no ImageIO reader decodes: extended sequential (SOF1) through our own {@link DctDecoder}. */
    private byte[] decodeTwelveBit(byte[] encoded, JpegMarkers m, ImageDescriptor image) {
        if (m.sof() != 0xC1) {
            throw new UnsupportedTransferSyntaxException(uid, "JPEG " + m.precision() + "-bit lossy with SOF"
                    + (m.sof() - 0xC0) + " is not supported: only extended sequential (SOF1) with Huffman coding");
        }
        DctImage img = DctDecoder.decode(encoded);
        if (img.columns() > image.columns() || img.rows() > image.rows()) {
            throw new PixelDataException("codestream is " + img.columns() + "x" + img.rows() + " but the data set says "
                    + image.columns() + "x" + image.rows());
        }
        if (img.components() != image.samplesPerPixel()) {
            throw new PixelDataException("codestream has " + img.components() + " components, expected " + image.samplesPerPixel());
        }
        int[] samples = img.columns() == image.columns() && img.rows() == image.rows() ? img.samples()
                : ImageIoDecoder.pad(img.samples(), img.columns(), img.rows(), image.columns(), image.rows(), img.components());
        if (convertsToRgb(image)) {
            YbrToRgb.convert(samples, img.precision());
        }
        return Samples.write(samples, decodedDescriptor(image));
    }

    private boolean convertsToRgb(ImageDescriptor image) {
        return lossy() && image.samplesPerPixel() == 3 && image.photometric().startsWith("YBR_FULL");
    }

    /** Lossy JPEG in YBR is returned as RGB, as dcmtk does and PS3.5 8.2.1 allows. */
    @Override
    public ImageDescriptor decodedDescriptor(ImageDescriptor image) {
        ImageDescriptor d = image.withPlanarConfiguration(0);
        return convertsToRgb(image) ? d.withPhotometric("RGB") : d;
    }

    @Override
    public boolean canEncode(ImageDescriptor image) {
        return switch (uid) {
            case BASELINE -> image.bitsAllocated() == 8 && !image.signed() && image.bitsStored() == 8
                    && (image.samplesPerPixel() == 1 || image.photometric().equals("RGB"));
            case LOSSLESS, LOSSLESS_SV1 -> image.bitsAllocated() >= 8 && image.bitsAllocated() <= 16
                    && image.bitsStored() >= 2 && (image.samplesPerPixel() == 1 || image.samplesPerPixel() == 3);
            default -> false;
        };
    }

    @Override
    public byte[] encode(byte[] frame, ImageDescriptor image, EncodeOptions options) throws IOException {
        if (!canEncode(image)) {
            return FrameCodec.super.encode(frame, image, options);
        }
        if (uid.equals(BASELINE)) {
            return JpegBaselineEncoder.encode(frame, image, options.quality());
        }
        return JpegLosslessEncoder.encode(Samples.read(frame, image), image);
    }

    @Override
    public ImageDescriptor encodedDescriptor(ImageDescriptor image) {
        return uid.equals(BASELINE) && image.samplesPerPixel() == 3 ? image.withPhotometric("YBR_FULL_422") : image;
    }
}
