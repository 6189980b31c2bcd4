package dev.steadfast.imaging;

import dev.steadfast.dicom.Bytes;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.imaging.codec.FrameCodec;
import dev.steadfast.imaging.frame.EncapsulatedFrames;
import dev.steadfast.imaging.frame.NativeFrames;

import java.io.IOException;

/**
 * Frame access to a data set's pixel data in its transfer syntax: stored frames as they are
 * (compressed bytes for encapsulated syntaxes) and decoded native frames.
 */
public final class PixelData {
    private final ImageDescriptor image;
    private final String transferSyntaxUid;
    private final EncapsulatedFrames encapsulated;
    private final NativeFrames nativeFrames;
    private final CodecRegistry codecs;

    private PixelData(ImageDescriptor image, String tsUid, EncapsulatedFrames enc, NativeFrames nat, CodecRegistry codecs) {
        this.image = image;
        this.transferSyntaxUid = tsUid;
        this.encapsulated = enc;
        this.nativeFrames = nat;
        this.codecs = codecs;
    }

    public static PixelData of(Dataset ds, String transferSyntaxUid) {
        return of(ds, transferSyntaxUid, Codecs.standard());
    }

    public static PixelData of(Dataset ds, String transferSyntaxUid, CodecRegistry codecs) {
        ImageDescriptor image = ImageDescriptor.of(ds);
        Element e = pixelElement(ds);
        if (e == null || e.isEmpty()) {
            throw new PixelDataException("no pixel data");
        }
        if (e.value() instanceof Fragments f) {
            long[] eot = extendedOffsetTable(ds);
            return new PixelData(image, transferSyntaxUid, EncapsulatedFrames.of(f, image.frames(), eot), null, codecs);
        }
        if (TransferSyntax.of(transferSyntaxUid).encapsulated()) {
            throw new PixelDataException("transfer syntax " + transferSyntaxUid + " needs encapsulated pixel data");
        }
        return new PixelData(image, transferSyntaxUid, null, new NativeFrames(e, image), codecs);
    }

    static Element pixelElement(Dataset ds) {
        Element e = ds.get(Tag.PixelData);
        if (e == null) {
            e = ds.get(Tag.FloatPixelData);
        }
        return e != null ? e : ds.get(Tag.DoubleFloatPixelData);
    }

    private static long[] extendedOffsetTable(Dataset ds) {
        byte[] b = ds.getBytes(Tag.ExtendedOffsetTable);
        if (b == null || b.length < 8) {
            return null;
        }
        long[] out = new long[b.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = Bytes.int64(b, i * 8, false);
        }
        return out;
    }

    /** The descriptor as stored. */
    public ImageDescriptor descriptor() { return image; }

    public String transferSyntaxUid() { return transferSyntaxUid; }

    public boolean isEncapsulated() { return encapsulated != null; }

    public int frameCount() {
        return encapsulated != null ? Math.min(encapsulated.count(), image.frames()) : nativeFrames.count();
    }

    /** A frame as stored: compressed bytes, or native little-endian bytes in the stored planar configuration. */
    public byte[] storedFrame(int index) throws IOException {
        checkIndex(index);
        return encapsulated != null ? encapsulated.frame(index) : nativeFrames.frame(index);
    }

    /** The descriptor of decoded frames. */
    public ImageDescriptor decodedDescriptor() {
        if (encapsulated != null) {
            return codecs.get(transferSyntaxUid).decodedDescriptor(image);
        }
        ImageDescriptor d = image.withPlanarConfiguration(0);
        return d.isSubsampled() ? d.withPhotometric("YBR_FULL") : d;
    }

    /** A frame decoded to native little endian, colour interleaved (planar configuration 0). */
    public byte[] decodedFrame(int index) throws IOException {
        checkIndex(index);
        if (encapsulated == null) {
            byte[] f = nativeFrames.frame(index);
            if (image.isSubsampled()) {
                return Planar.upsample422(f, image);
            }
            return image.isColor() && image.planarConfiguration() == 1 ? Planar.interleave(f, image) : f;
        }
        FrameCodec codec = codecs.get(transferSyntaxUid);
        byte[] out;
        try {
            out = codec.decode(encapsulated.frame(index), image);
        } catch (PixelDataException | UnsupportedTransferSyntaxException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PixelDataException("cannot decode frame " + (index + 1) + " of " + transferSyntaxUid + ": " + e.getMessage(), e);
        }
        ImageDescriptor d = codec.decodedDescriptor(image);
        if (out.length < d.frameLength()) {
            throw new PixelDataException("decoded frame " + (index + 1) + " has " + out.length + " bytes, expected " + d.frameLength());
        }
        return out;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= frameCount()) {
            throw new PixelDataException("frame " + (index + 1) + " does not exist (" + frameCount() + " frames)");
        }
    }
}
