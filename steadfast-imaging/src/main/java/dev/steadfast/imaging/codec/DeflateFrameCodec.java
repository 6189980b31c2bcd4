package dev.steadfast.imaging.codec;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Deflated Image Frame Compression (1.2.840.10008.1.2.8.1): each native frame deflated (RFC 1951). */
public final class DeflateFrameCodec implements FrameCodec {
    public static final String UID = "1.2.840.10008.1.2.8.1";

    public DeflateFrameCodec() {}

    @Override
    public String transferSyntaxUid() { return UID; }

    @Override
    public byte[] decode(byte[] encoded, ImageDescriptor image) {
        byte[] out = new byte[image.frameLength()];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(encoded);
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int r = inf.inflate(out, n, out.length - n);
                if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += r;
            }
            if (n < out.length) {
                throw new PixelDataException("deflated frame ends after " + n + " of " + out.length + " bytes");
            }
            return out; // anything beyond one frame is ignored: output is bounded by the image size
        } catch (DataFormatException e) {
            throw new PixelDataException("corrupt deflated frame: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    @Override
    public boolean canEncode(ImageDescriptor image) { return true; }

    @Override
    public byte[] encode(byte[] frame, ImageDescriptor image, EncodeOptions options) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(frame);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length / 2 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
