package dev.steadfast.imaging.rle;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.codec.EncodeOptions;
import dev.steadfast.imaging.codec.FrameCodec;

/** RLE Lossless (1.2.840.10008.1.2.5). */
public final class RleCodec implements FrameCodec {
    public static final String UID = "1.2.840.10008.1.2.5";

    @Override
    public String transferSyntaxUid() { return UID; }

    @Override
    public byte[] decode(byte[] encoded, ImageDescriptor image) {
        return RleDecoder.decode(encoded, image);
    }

    @Override
    public boolean canEncode(ImageDescriptor image) {
        return image.bitsAllocated() >= 8 && image.samplesPerPixel() * image.bytesPerSample() <= 15;
    }

    @Override
    public byte[] encode(byte[] frame, ImageDescriptor image, EncodeOptions options) {
        return RleEncoder.encode(frame, image);
    }
}
