package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;

import java.awt.image.BufferedImage;

/** Burns 60xx overlay planes (PS3.3 C.9.2) into a rendered frame, in white as dcmtk does by default. */
final class Overlays {
    private Overlays() {}

    static void draw(Dataset ds, int frame, BufferedImage img) {
        for (int g = 0x6000; g <= 0x601E; g += 2) {
            try {
                drawGroup(ds, frame, img, g << 16);
            } catch (RuntimeException malformed) {
                // an unreadable overlay group is left out rather than failing the whole frame
            }
        }
    }

    private static void drawGroup(Dataset ds, int frame, BufferedImage img, int base) {
        {
            Element data = ds.get(base | 0x3000);
            int rows = ds.getInt(base | 0x0010, 0);
            int cols = ds.getInt(base | 0x0011, 0);
            if (data == null || data.bytes() == null || rows <= 0 || cols <= 0) {
                return; // overlays embedded in pixel data bits (retired) are not drawn
            }
            int frames = ds.getInt(base | 0x0015, 1);
            int firstFrame = ds.getInt(base | 0x0051, 1) - 1;
            int f = frames > 1 ? frame - firstFrame : 0;
            if (f < 0 || f >= frames) {
                return;
            }
            int[] origin = ds.getInts(base | 0x0050);
            int oy = origin.length > 1 ? origin[0] - 1 : 0;
            int ox = origin.length > 1 ? origin[1] - 1 : 0;
            byte[] bits = data.bytes();
            long start = (long) f * rows * cols;
            int white = 0xFFFFFF;
            for (int y = 0; y < rows; y++) {
                int iy = y + oy;
                if (iy < 0 || iy >= img.getHeight()) {
                    continue;
                }
                for (int x = 0; x < cols; x++) {
                    int ix = x + ox;
                    long bit = start + (long) y * cols + x;
                    int byteIndex = (int) (bit >>> 3);
                    if (ix < 0 || ix >= img.getWidth() || byteIndex >= bits.length) {
                        continue;
                    }
                    if (((bits[byteIndex] >>> (bit & 7)) & 1) != 0) {
                        img.setRGB(ix, iy, white);
                    }
                }
            }
        }
    }
}
