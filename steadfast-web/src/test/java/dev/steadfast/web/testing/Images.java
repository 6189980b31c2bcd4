package dev.steadfast.web.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/** Decoded images and their differences, per sample (grey or R, G, B). */
public final class Images {
    private Images() {}

    public static BufferedImage decode(byte[] encoded) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
        if (img == null) {
            throw new IOException("not an image ImageIO can read (" + encoded.length + " bytes)");
        }
        return img;
    }

    public static BufferedImage read(Path file) throws IOException {
        return decode(java.nio.file.Files.readAllBytes(file));
    }

    /** {max, mean*1000} of |a - b| over every sample; grey images compare as grey, colour as RGB. */
    public static long[] diff(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
                    + b.getWidth() + "x" + b.getHeight());
        }
        boolean grey = a.getRaster().getNumBands() == 1 && b.getRaster().getNumBands() == 1;
        long max = 0;
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int[] sa = samples(a, x, y, grey);
                int[] sb = samples(b, x, y, grey);
                for (int c = 0; c < sa.length; c++) {
                    int d = Math.abs(sa[c] - sb[c]);
                    max = Math.max(max, d);
                    sum += d;
                    n++;
                }
            }
        }
        return new long[] {max, sum * 1000 / Math.max(1, n)};
    }

    private static int[] samples(BufferedImage img, int x, int y, boolean grey) {
        if (grey) {
            return new int[] {img.getRaster().getSample(x, y, 0)}; // raw samples: getRGB would gamma-map grey
        }
        if (img.getRaster().getNumBands() == 1) {
            int v = img.getRaster().getSample(x, y, 0);
            return new int[] {v, v, v};
        }
        int rgb = img.getRGB(x, y);
        return new int[] {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
    }
}
