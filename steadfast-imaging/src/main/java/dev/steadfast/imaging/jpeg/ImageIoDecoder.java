package dev.steadfast.imaging.jpeg;

import dev.steadfast.imaging.PixelDataException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/** Reads the stored samples of a codestream through an ImageIO reader chosen by format and class name. */
public final class ImageIoDecoder {
    private ImageIoDecoder() {}

    /** Samples interleaved by pixel, as the codestream stores them (no colour conversion). */
    public static int[] readSamples(byte[] data, String format, String preferredReaderClass, int rows, int columns, int bands)
            throws IOException {
        ImageReader reader = reader(format, preferredReaderClass);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w > columns || h > rows) {
                throw new PixelDataException("codestream is " + w + "x" + h + " but the data set says " + columns + "x" + rows);
            }
            Raster r = reader.readRaster(0, null);
            if (r.getNumBands() != bands) {
                throw new PixelDataException("codestream has " + r.getNumBands() + " components, expected " + bands);
            }
            int[] px = r.getPixels(r.getMinX(), r.getMinY(), w, h, (int[]) null);
            return w == columns && h == rows ? px : pad(px, w, h, columns, rows, bands);
        } finally {
            reader.dispose();
        }
    }

    /** Real-world WSI edge tiles carry a smaller codestream than the frame: place it top-left, zero the rest. */
    static int[] pad(int[] px, int w, int h, int columns, int rows, int bands) {
        int[] out = new int[columns * rows * bands];
        for (int y = 0; y < h; y++) {
            System.arraycopy(px, y * w * bands, out, y * columns * bands, w * bands);
        }
        return out;
    }

    public static ImageReader reader(String format, String preferredClass) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        ImageReader first = null;
        while (it.hasNext()) {
            ImageReader r = it.next();
            if (r.getClass().getName().equals(preferredClass)) {
                if (first != null) {
                    first.dispose();
                }
                return r;
            }
            if (first == null) {
                first = r;
            } else {
                r.dispose();
            }
        }
        if (first == null) {
            throw new PixelDataException("no ImageIO reader for " + format + " on the class path");
        }
        return first;
    }
}
