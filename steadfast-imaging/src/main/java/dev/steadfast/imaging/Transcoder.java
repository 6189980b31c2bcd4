package dev.steadfast.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import dev.steadfast.imaging.codec.FrameCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Changes a data set's transfer syntax. Every non-pixel attribute is kept; Pixel Data,
 * Photometric Interpretation, Planar Configuration and the Lossy Image Compression attributes
 * are updated as PS3.5 8.2 and PS3.3 C.7.6.1.1.5 require. Lossy output needs
 * {@link TranscodeOptions#allowLossy()}; otherwise it is refused, never done silently.
 */
public final class Transcoder {
    private final CodecRegistry codecs;

    public Transcoder() {
        this(Codecs.standard());
    }

    public Transcoder(CodecRegistry codecs) {
        this.codecs = codecs;
    }

    /** Writes a Part 10 file of the data set in the target syntax. */
    public void writeFile(OutputStream out, Dataset ds, String sourceTs, String targetTs, TranscodeOptions opts) throws IOException {
        DicomWriter.writeFile(out, transcode(ds, sourceTs, targetTs, opts), targetTs);
    }

    public Dataset transcode(Dataset ds, String sourceTs, String targetTs, TranscodeOptions opts) throws IOException {
        String src = sourceTs.strip();
        String dst = targetTs.strip();
        if (src.equals(dst) || !hasPixels(ds)) {
            return ds.copy();
        }
        TransferSyntax target = TransferSyntax.of(dst);
        FrameCodec encoder = target.encapsulated() ? codecs.get(dst) : null;
        if (encoder != null && encoder.lossy() && !opts.allowLossy()) {
            throw new UnsupportedTransferSyntaxException(dst, "transcoding to " + dst + " is lossy and was not requested");
        }
        if (TransferSyntax.of(src).encapsulated()) {
            codecs.get(src); // fails early, with the reason, for pass-through syntaxes
        }
        PixelData pixels = PixelData.of(ds, src, codecs);
        ImageDescriptor decoded = pixels.decodedDescriptor();
        Dataset out = ds.copy();
        out.remove(Tag.ExtendedOffsetTable);
        out.remove(Tag.ExtendedOffsetTableLengths);
        int frames = pixels.frameCount();
        if (encoder == null) {
            out.put(new Element(pixelTag(ds), pixelVR(ds, decoded), nativePixels(pixels, decoded, frames), false));
            decoded.writeTo(out);
        } else {
            if (!encoder.canEncode(decoded)) {
                throw new UnsupportedTransferSyntaxException(dst, "cannot encode " + decoded.bitsStored() + "-bit "
                        + decoded.photometric() + " (" + decoded.samplesPerPixel() + " samples) as " + dst);
            }
            Fragments f = new Fragments();
            f.add(new byte[0]);
            long raw = 0;
            long compressed = 0;
            for (int i = 0; i < frames; i++) {
                byte[] frame = pixels.decodedFrame(i);
                byte[] enc = encoder.encode(frame, decoded, opts.encode());
                raw += frame.length;
                compressed += enc.length;
                f.add(padEven(enc));
            }
            out.put(new Element(Tag.PixelData, VR.OB, f, false));
            encoder.encodedDescriptor(decoded).writeTo(out);
            if (encoder.lossy()) {
                markLossy(out, raw / (double) Math.max(1, compressed), method(dst));
            }
        }
        return out;
    }

    private static boolean hasPixels(Dataset ds) {
        Element e = PixelData.pixelElement(ds);
        return e != null && !e.isEmpty() && ds.contains(Tag.Rows);
    }

    private static int pixelTag(Dataset ds) {
        return PixelData.pixelElement(ds).tag();
    }

    private static VR pixelVR(Dataset ds, ImageDescriptor d) {
        int tag = pixelTag(ds);
        if (tag == Tag.FloatPixelData) {
            return VR.OF;
        }
        if (tag == Tag.DoubleFloatPixelData) {
            return VR.OD;
        }
        return d.bitsAllocated() > 8 ? VR.OW : VR.OB;
    }

    private static byte[] nativePixels(PixelData pixels, ImageDescriptor d, int frames) throws IOException {
        if (d.bitsAllocated() == 1) {
            return BitPacking.concat(pixels, d, frames);
        }
        long total = (long) d.frameLength() * frames;
        if (total > Integer.MAX_VALUE - 16) {
            throw new PixelDataException("native pixel data of " + total + " bytes is too large to build in memory");
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream((int) total + 1);
        for (int i = 0; i < frames; i++) {
            byte[] f = pixels.decodedFrame(i);
            bos.write(f, 0, d.frameLength());
        }
        return padEven(bos.toByteArray());
    }

    static byte[] padEven(byte[] b) {
        return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static String method(String ts) {
        if (ts.startsWith("1.2.840.10008.1.2.4.5")) {
            return "ISO_10918_1";
        }
        if (ts.startsWith("1.2.840.10008.1.2.4.8")) {
            return "ISO_14495_1";
        }
        return "ISO_15444_1";
    }

    /** PS3.3 C.7.6.1.1.5: once lossy, always lossy; ratios and methods accumulate. */
    private static void markLossy(Dataset ds, double ratio, String method) {
        ds.setString(Tag.LossyImageCompression, VR.CS, "01");
        String[] ratios = ds.getStrings(Tag.LossyImageCompressionRatio);
        String[] methods = ds.getStrings(Tag.LossyImageCompressionMethod);
        String[] r = java.util.Arrays.copyOf(ratios, ratios.length + 1);
        r[ratios.length] = String.format(Locale.ROOT, "%.2f", ratio);
        String[] m = java.util.Arrays.copyOf(methods, methods.length + 1);
        m[methods.length] = method;
        ds.setString(Tag.LossyImageCompressionRatio, VR.DS, r);
        ds.setString(Tag.LossyImageCompressionMethod, VR.CS, m);
    }
}
