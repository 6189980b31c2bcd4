package dev.steadfast.imaging.frame;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.VR;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;

import java.io.IOException;
import java.util.Arrays;

/**
 * Frames of native (uncompressed) pixel data, in memory or on disk, returned little endian.
 * 1-bit frames are not byte aligned in multi-frame objects (PS3.5 8.1.1), so they are shifted
 * to start at bit 0 of their first byte.
 */
public final class NativeFrames {
    private final Element element;
    private final ImageDescriptor image;
    private final long available;

    public NativeFrames(Element element, ImageDescriptor image) {
        this.element = element;
        this.image = image;
        this.available = Math.max(0, element.length());
    }

    /** Frames actually present: Number of Frames, unless the value is too short to hold them. */
    public int count() {
        long bitsPerFrame = image.bitsAllocated() == 1 ? (long) image.pixels() * image.samplesPerPixel() : 8L * image.frameLength();
        long whole = available * 8 / bitsPerFrame;
        return (int) Math.min(image.frames(), whole);
    }

    public byte[] frame(int index) throws IOException {
        if (index < 0 || index >= count()) {
            throw new PixelDataException("frame " + (index + 1) + " does not exist: pixel data of " + available
                    + " bytes holds " + count() + " of " + image.frames() + " declared frames");
        }
        if (image.bitsAllocated() == 1) {
            return bitFrame(index);
        }
        int len = image.frameLength();
        byte[] b = read((long) index * len, len);
        int width = swapWidth();
        return width > 1 && bigEndian() ? swap(b, width) : b;
    }

    private byte[] bitFrame(int index) throws IOException {
        long bits = (long) image.pixels() * image.samplesPerPixel();
        long firstBit = bits * index;
        long firstByte = firstBit / 8;
        int span = (int) Math.min(available - firstByte, (firstBit % 8 + bits + 7) / 8 + 1);
        byte[] src = read(firstByte, span);
        int shift = (int) (firstBit % 8);
        byte[] out = new byte[image.frameLength()];
        for (int i = 0; i < out.length; i++) {
            int lo = (src[i] & 0xFF) >>> shift;
            int hi = shift == 0 || i + 1 >= src.length ? 0 : (src[i + 1] & 0xFF) << (8 - shift);
            out[i] = (byte) (lo | hi);
        }
        int tail = (int) (bits % 8);
        if (tail != 0) {
            out[out.length - 1] &= (byte) ((1 << tail) - 1);
        }
        return out;
    }

    private byte[] read(long offset, int len) throws IOException {
        return switch (element.value()) {
            case byte[] b -> Arrays.copyOfRange(b, (int) offset, (int) offset + len);
            case BulkData bd -> new BulkData(bd.file(), bd.offset() + offset, len, bd.bigEndian()).readAll();
            default -> throw new PixelDataException("pixel data is not native");
        };
    }

    private boolean bigEndian() {
        return element.value() instanceof BulkData bd ? bd.bigEndian() : element.bigEndian();
    }

    /** Big endian OW is swapped per 16-bit word whatever Bits Allocated says (PS3.5 A.2). */
    private int swapWidth() {
        VR vr = element.vr();
        return vr == VR.OB ? 1 : vr == VR.UN ? image.bytesPerSample() : vr.bytesPerNumber();
    }

    static byte[] swap(byte[] b, int width) {
        byte[] out = new byte[b.length];
        for (int i = 0; i + width <= b.length; i += width) {
            for (int k = 0; k < width; k++) {
                out[i + k] = b[i + width - 1 - k];
            }
        }
        return out;
    }
}
