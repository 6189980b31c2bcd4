package dev.steadfast.imaging.jpegls;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.imaging.codec.FrameCodec;

/** JPEG-LS lossless (.80, decode and encode) and near-lossless (.81, decode only). */
public final class JpegLsCodec implements FrameCodec {
    public static final String LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";

    private final String uid;

    public JpegLsCodec(String uid) {
        this.uid = uid;
    }

    @Override
    public String transferSyntaxUid() { return uid; }

    @Override
    public boolean lossy() { return uid.equals(NEAR_LOSSLESS); }

    @Override
    public byte[] decode(byte[] encoded, ImageDescriptor d) {
        int[] s = JpegLs.decode(encoded, header(d));
        return Samples.write(s, decodedDescriptor(d));
    }

    @Override
    public boolean canEncode(ImageDescriptor d) {
        return uid.equals(LOSSLESS) && d.bitsAllocated() >= 8 && d.bitsAllocated() <= 16 && d.bitsStored() >= 2;
    }

    @Override
    public byte[] encode(byte[] frame, ImageDescriptor d, EncodeOptions options) {
        if (!canEncode(d)) {
            throw new dev.steadfast.imaging.UnsupportedTransferSyntaxException(uid, "cannot encode " + d + " as " + uid);
        }
        return JpegLs.encode(Samples.read(frame, d), header(d));
    }

    private static JpegLs.Header header(ImageDescriptor d) {
        return new JpegLs.Header(d.bitsStored(), d.rows(), d.columns(), d.samplesPerPixel());
    }
}
